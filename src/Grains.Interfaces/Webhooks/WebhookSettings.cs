namespace Actors.Grains.Webhooks;

/// <summary>An agent's webhook configuration, without its secret. <see cref="Url"/> null: none.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookSettings(
    [property: Id(0)] string? Url,
    [property: Id(1)] bool Disabled,
    [property: Id(2)] string? DisabledReason,
    [property: Id(3)] DateTimeOffset? DisabledAt,
    [property: Id(4)] DateTimeOffset? FailingSince,
    [property: Id(5)] DateTimeOffset? CreatedAt,
    [property: Id(6)] DateTimeOffset? PreviousSecretExpiresAt);
