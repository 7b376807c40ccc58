namespace Actors.Grains.Webhooks;

/// <summary>Where a delivery goes and the secrets that sign it (newest first), in clear: never leaves the silo's dispatcher.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookTarget(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Secrets);
