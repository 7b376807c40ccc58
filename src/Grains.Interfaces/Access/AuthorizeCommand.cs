namespace Actors.Grains.Access;

/// <summary>An authorize request as sent; <see cref="RequestKey"/> is the caller's Idempotency-Key, if any.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthorizeCommand(
    [property: Id(0)] string? Url,
    [property: Id(1)] string? ContentId,
    [property: Id(2)] string? Domain,
    [property: Id(3)] int? Tier,
    [property: Id(4)] string? RequestKey);
