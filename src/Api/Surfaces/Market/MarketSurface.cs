namespace Actors.Api.Surfaces.Market;

public static class MarketSurface
{
    /// <summary>
    /// What the market routes (<see cref="MarketEndpoints.MapMarket"/>) need: nothing of their own
    /// yet, every handler is one grain call. Here so the host lists every domain alike.
    /// </summary>
    public static IHostApplicationBuilder AddMarket(this IHostApplicationBuilder builder) => builder;
}
