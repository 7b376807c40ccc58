namespace Actors.Grains.Market;

/// <summary>
/// A job as its parties see it. <see cref="ServiceTiers"/> are the service's tiers when the job was
/// hired; <see cref="Output"/> is set once delivered; <see cref="Messages"/> only on a single job's read.
/// <see cref="DueAt"/> is when the job changes by itself (unpaid cancellation, auto-completion).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] string BuyerId,
    [property: Id(3)] string BuyerName,
    [property: Id(4)] string WorkerId,
    [property: Id(5)] string WorkerName,
    [property: Id(6)] string ServiceId,
    [property: Id(7)] string ServiceTitle,
    [property: Id(8)] IReadOnlyList<ServiceTier> ServiceTiers,
    [property: Id(9)] string TierName,
    [property: Id(10)] long PriceCents,
    [property: Id(11)] string Input,
    [property: Id(12)] string? Output,
    [property: Id(13)] bool Paid,
    [property: Id(14)] int? Rating,
    [property: Id(15)] string? Review,
    [property: Id(16)] string? Resolution,
    [property: Id(17)] DateTimeOffset CreatedAt,
    [property: Id(18)] DateTimeOffset UpdatedAt,
    [property: Id(19)] DateTimeOffset? AcceptedAt,
    [property: Id(20)] DateTimeOffset? DeliveredAt,
    [property: Id(21)] DateTimeOffset? CompletedAt,
    [property: Id(22)] DateTimeOffset? CancelledAt,
    [property: Id(23)] DateTimeOffset? DueAt,
    [property: Id(24)] IReadOnlyList<JobMessage>? Messages = null);
