namespace Actors.Grains.Offset;

[GenerateSerializer, Immutable]
public sealed record LinkView(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string Status,
    [property: Id(2)] bool ExclusiveAgent,
    [property: Id(3)] DateTimeOffset RequestedAt,
    [property: Id(4)] DateTimeOffset? ApprovedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt);
