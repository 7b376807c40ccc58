namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record MachineStats(
    [property: Id(0)] long TotalMemories,
    [property: Id(1)] long TotalProjects,
    [property: Id(2)] long ApiCalls24h,
    [property: Id(3)] long StorageBytes,
    [property: Id(4)] DateTimeOffset CreatedAt);
