namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record AccessGrant(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string Domain,
    [property: Id(3)] string ContentId,
    [property: Id(4)] string RetrievalId,
    [property: Id(5)] DateTimeOffset IssuedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt);
