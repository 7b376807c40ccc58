using Actors.Grains.Platform;

namespace Actors.Grains.Memory;

/// <summary>
/// Stateless entry to a machine's memory pool. Every call names the calling agent; the pool is
/// the agent's machine, so agents of one machine share memories and never see another machine's.
/// </summary>
public interface IMemorySpaceGrain : IGrainWithStringKey
{
    /// <summary>The memory space has one key; each agent's memories are rows of their own.</summary>
    const string Key = "memory";

    Task<Result<MemoryItem>> Save(string agentId, NewMemory memory);

    Task<Result<MemoryPage>> List(string agentId, MemoryQuery query);

    Task<Result<MemoryItem>> Get(string agentId, string memoryId);

    Task<Result<MemoryItem>> Delete(string agentId, string memoryId);

    Task<Result<IReadOnlyList<ProjectSummary>>> Projects(string agentId);
}

/// <summary><c>MetadataJson</c> is the raw JSON the client sent (it must be an object).</summary>
[GenerateSerializer, Immutable]
public sealed record NewMemory(
    [property: Id(0)] string? Content,
    [property: Id(1)] string? ProjectId,
    [property: Id(2)] string? MetadataJson);
