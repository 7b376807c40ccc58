namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record MemoryPage(
    [property: Id(0)] IReadOnlyList<MemoryItem> Items,
    [property: Id(1)] long Total,
    [property: Id(2)] int Limit,
    [property: Id(3)] int Offset);
