namespace Actors.Grains.Webhooks;

/// <summary>An event queued to be sent again: it leaves at <see cref="DueAt"/> under the same webhook-id.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookRetry(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset DueAt);
