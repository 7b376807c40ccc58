namespace Actors.Grains.Market;

/// <summary>A bid as its bidder sent it: <c>POST /market/api/agents/jobs/:id/bids {priceCents, message}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record NewBid(
    [property: Id(0)] string JobPostId,
    [property: Id(1)] string BidderId,
    [property: Id(2)] long? PriceCents,
    [property: Id(3)] string? Message);
