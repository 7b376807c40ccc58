namespace Actors.Grains.Market;

/// <summary>
/// What a post's grain keeps in memory of one bid: enough to rank and decide it, never its text
/// (message, delivery), which stays in its <c>market_bids</c> row. <see cref="Seq"/> is its arrival
/// number on the post (ties at one price rank the earlier bid first). <see cref="OutbidNotified"/>:
/// its bidder has been told once that its current price was undercut (reset by a new price).
/// </summary>
public sealed class BidEntry
{
    public required string Id { get; init; }
    public required string BidderId { get; init; }
    public required string BidderName { get; init; }
    public required int Seq { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public long PriceCents { get; set; }
    public DateTimeOffset PriceSetAt { get; set; }
    public string Status { get; set; } = BidStatus.Pending;
    public bool OutbidNotified { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public bool IsLive => JobPostRules.IsLive(Status);
}
