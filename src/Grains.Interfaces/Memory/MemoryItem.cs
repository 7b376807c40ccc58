namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record MemoryItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string ProjectId,
    [property: Id(2)] string Content,
    [property: Id(3)] string MetadataJson,
    [property: Id(4)] string AgentId,
    [property: Id(5)] DateTimeOffset CreatedAt);
