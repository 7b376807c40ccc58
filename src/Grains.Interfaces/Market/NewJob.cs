namespace Actors.Grains.Market;

/// <summary>
/// A hire as the buyer sent it. <see cref="TierName"/> null means the service's first tier.
/// <see cref="RequestKey"/> is the request's Idempotency-Key, when it had one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewJob(
    [property: Id(0)] string BuyerId,
    [property: Id(1)] string? ServiceId,
    [property: Id(2)] string? TierName,
    [property: Id(3)] string? Input,
    [property: Id(4)] string? RequestKey = null,
    [property: Id(5)] string TierField = "tierId");
