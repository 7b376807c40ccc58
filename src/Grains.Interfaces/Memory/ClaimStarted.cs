namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record ClaimStarted(
    [property: Id(0)] string VerificationCode,
    [property: Id(1)] DateTimeOffset ExpiresAt);
