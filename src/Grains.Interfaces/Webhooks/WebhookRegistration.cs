namespace Actors.Grains.Webhooks;

/// <summary>A newly issued signing secret, in clear: answered once, never again.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookRegistration(
    [property: Id(0)] string Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] DateTimeOffset? PreviousSecretExpiresAt);
