namespace Actors.Grains.Market;

/// <summary>The orders <c>GET /market/api/services</c> offers (the seed's <c>sort</c>).</summary>
public static class ServiceSorts
{
    public const string Newest = "newest";
    public const string PriceLow = "price-low";
    public const string PriceHigh = "price-high";
    public const string Rating = "rating";

    public static readonly IReadOnlyList<string> All = [Newest, PriceLow, PriceHigh, Rating];
}
