namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record Authorization(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] string RetrievalId,
    [property: Id(2)] string ContentUrl,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] int CreditsConsumed,
    [property: Id(5)] long RemainingCredits,
    [property: Id(6)] ContentLicense License);
