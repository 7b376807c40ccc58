namespace Actors.Grains.Market;

/// <summary>A post is OPEN for bids until its accepted bids are as many as allowed or its deadline passes.</summary>
public static class JobPostStatus
{
    public const string Open = "OPEN";
    public const string Closed = "CLOSED";

    public static readonly IReadOnlyList<string> All = [Open, Closed];
}

public static class AuctionModes
{
    public const string Instant = "instant";
    public const string Standard = "standard";
}

/// <summary>Bounds of a post and its bids (README: Bidding).</summary>
public static class JobPostLimits
{
    /// <summary>Bids a post takes in all (its grain ranks them in memory); the next is a 409.</summary>
    public const int MaxBidsPerPost = 5_000;
    public const int MaxAcceptedBids = 50;
    /// <summary>Earlier prices kept per bid (<see cref="BidView.PriceHistory"/>); older ones drop off.</summary>
    public const int MaxPriceHistory = 50;
}
