namespace Actors.Grains.Market;

/// <summary>
/// The seed's <c>{bids, lowestBid, totalBids}</c>: every bid, lowest price first (ties: earlier first);
/// <see cref="LowestBid"/> the lowest price among live bids (null when none); <see cref="TotalBids"/> live bids.
/// Live: not WITHDRAWN, REJECTED, EXPIRED or CANCELLED.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidList(
    [property: Id(0)] IReadOnlyList<BidView> Bids,
    [property: Id(1)] long? LowestBid,
    [property: Id(2)] int TotalBids);
