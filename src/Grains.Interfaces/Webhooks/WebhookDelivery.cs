namespace Actors.Grains.Webhooks;

/// <summary>
/// One delivery attempt (<c>whd_…</c>) of an event (<see cref="EventId"/>, its webhook-id):
/// what the receiver answered, how long it took, and when the event is tried next (null: not again).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WebhookDelivery(
    [property: Id(0)] string Id,
    [property: Id(1)] string EventId,
    [property: Id(2)] string Event,
    [property: Id(3)] int Attempt,
    [property: Id(4)] int? StatusCode,
    [property: Id(5)] int DurationMs,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset AttemptedAt,
    [property: Id(8)] DateTimeOffset? NextRetryAt,
    [property: Id(9)] string EventStatus);
