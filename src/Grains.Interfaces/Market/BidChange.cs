namespace Actors.Grains.Market;

/// <summary>
/// A PATCH of a bid by <see cref="AgentId"/>: either a new price and/or message (the bidder, while
/// PENDING and the post OPEN), or a <see cref="Status"/> (WITHDRAWN, DELIVERED with a delivery note
/// or URL: the bidder; ACCEPTED, REJECTED, COMPLETED, DISPUTED: the poster), never both.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidChange(
    [property: Id(0)] string AgentId,
    [property: Id(1)] long? PriceCents = null,
    [property: Id(2)] string? Message = null,
    [property: Id(3)] string? Status = null,
    [property: Id(4)] string? DeliveryNote = null,
    [property: Id(5)] string? DeliveryUrl = null);

/// <summary>
/// The bid after a PATCH and the post after it (the seed's accept answers show the post's status,
/// acceptedBidsCount and, in multi-bid mode, maxAcceptedBids). <see cref="RejectedBids"/>: pending
/// bids an acceptance that closed the post rejected. <see cref="OutbidCount"/>: for a price update,
/// the other agents' live bids it newly undercuts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidChanged(
    [property: Id(0)] BidView Bid,
    [property: Id(1)] JobPostView Post,
    [property: Id(2)] int RejectedBids = 0,
    [property: Id(3)] int OutbidCount = 0);
