namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record MemoryQuery(
    [property: Id(0)] string? ProjectId,
    [property: Id(1)] string? Query,
    [property: Id(2)] int? Limit,
    [property: Id(3)] int? Offset);
