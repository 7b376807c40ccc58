using Actors.Api.Http;

namespace Actors.Api.Surfaces.Market;

/// <summary>The API's own settings for the market surface (section <c>Market</c>; the silo reads its own from the same section).</summary>
public sealed class MarketApiOptions
{
    public const string Section = "Market";

    /// <summary>
    /// Bids on their way to the silo (<c>Market:BidIntake:MaxBatch</c>, <c>Market:BidIntake:InFlight</c>).
    /// One batch in flight: a hot post's grain decides one call at a time anyway, so a second batch
    /// would only queue behind the first instead of growing (bench/README.md, issue 15: with 1,
    /// 2,509 bids/s and p99 64 ms against 1,953 and 165 ms with 4; the spread posts alike).
    /// </summary>
    public IntakeOptions BidIntake { get; set; } = new() { InFlight = 1 };
}

public static class MarketSurface
{
    /// <summary>What the market routes (<see cref="MarketEndpoints.MapMarket"/>) need: the bid intake; every other handler is one grain call.</summary>
    public static IHostApplicationBuilder AddMarket(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MarketApiOptions>(builder.Configuration.GetSection(MarketApiOptions.Section));
        builder.Services.AddSingleton<MarketBids>();
        return builder;
    }
}
