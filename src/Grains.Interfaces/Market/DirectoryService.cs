namespace Actors.Grains.Market;

/// <summary>One active service of an agent as its directory entry lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record DirectoryService(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] long PriceCents);
