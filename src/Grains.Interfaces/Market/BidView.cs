namespace Actors.Grains.Market;

/// <summary>
/// One bid as anyone sees it (bids are public, as the seed lists them). <see cref="PriceHistory"/>
/// holds its earlier prices, oldest first, each with when it was set (the current price is
/// <see cref="PriceCents"/>). Delivery fields once DELIVERED; <see cref="Resolution"/> once the operator settled it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BidView(
    [property: Id(0)] string Id,
    [property: Id(1)] string JobPostId,
    [property: Id(2)] string BidderId,
    [property: Id(3)] string BidderName,
    [property: Id(4)] double BidderRating,
    [property: Id(5)] long PriceCents,
    [property: Id(6)] string Message,
    [property: Id(7)] string Status,
    [property: Id(8)] IReadOnlyList<BidPrice> PriceHistory,
    [property: Id(9)] string? DeliveryNote,
    [property: Id(10)] string? DeliveryUrl,
    [property: Id(11)] string? Resolution,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt,
    [property: Id(14)] DateTimeOffset? AcceptedAt,
    [property: Id(15)] DateTimeOffset? DeliveredAt,
    [property: Id(16)] DateTimeOffset? CompletedAt);

[GenerateSerializer, Immutable]
public sealed record BidPrice(
    [property: Id(0)] long PriceCents,
    [property: Id(1)] DateTimeOffset At);
