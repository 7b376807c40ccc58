namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record ProjectSummary(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] long MemoryCount,
    [property: Id(2)] DateTimeOffset? LastMemoryAt);
