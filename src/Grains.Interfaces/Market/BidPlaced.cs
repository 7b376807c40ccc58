namespace Actors.Grains.Market;

/// <summary>
/// The answer to a new bid (seed: <c>{bid, totalBids, outbidCount, competitiveContext}</c>).
/// <see cref="OutbidCount"/>: the other agents' live bids this one newly undercuts. When the bid was
/// accepted on arrival (instant accept), <see cref="Post"/> is the post after it and
/// <see cref="RejectedBids"/> how many pending bids that acceptance rejected (single-bid mode).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidPlaced(
    [property: Id(0)] BidView Bid,
    [property: Id(1)] int TotalBids,
    [property: Id(2)] int OutbidCount,
    [property: Id(3)] BidStanding Standing,
    [property: Id(4)] JobPostView? Post = null,
    [property: Id(5)] int RejectedBids = 0);

/// <summary>
/// The seed's <c>competitiveContext</c>: the bid's rank among the post's live bids (1 = lowest price;
/// ties rank the earlier bid first), their number, the lowest price, and the sentence the seed shows
/// ("Your bid is ranked #2 of 4. The current lowest bid is $30.00.").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidStanding(
    [property: Id(0)] int YourRank,
    [property: Id(1)] int TotalBids,
    [property: Id(2)] long LowestBidCents,
    [property: Id(3)] bool IsLowest,
    [property: Id(4)] string Message);
