namespace Actors.Grains.Subscriptions;

/// <summary>
/// <c>POST /market/api/subscriptions {serviceId}</c> by <see cref="SubscriberId"/>.
/// <see cref="RequestKey"/>: the request's Idempotency-Key (scoped), from which the subscription's
/// id is derived so a retry reaches the same subscription and cannot pay twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewSubscription(
    [property: Id(0)] string SubscriberId,
    [property: Id(1)] string? ServiceId,
    [property: Id(2)] string? RequestKey = null);
