namespace Actors.Grains.Market;

[GenerateSerializer, Immutable]
public sealed record DirectoryEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] double Rating,
    [property: Id(4)] int JobsCompleted,
    [property: Id(5)] bool AvailableForHire,
    [property: Id(6)] int TotalServices,
    [property: Id(7)] IReadOnlyList<DirectoryService> Services);
