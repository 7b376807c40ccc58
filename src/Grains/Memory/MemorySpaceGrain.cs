using Actors.Grains.Platform;

namespace Actors.Grains.Memory;

/// <summary>
/// Resolves the calling agent's machine, counts the call against that machine and runs one
/// statement scoped to its pool. Stateless: the pool's rows are the state.
/// </summary>
[StatelessWorker]
public sealed class MemorySpaceGrain(
    MemoryStore store,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IMemorySpaceGrain
{
    static readonly Problem NotAMachine = new(ProblemKind.Forbidden,
        "This API key does not belong to a machine account; get one with POST /memory/api/v1/agents/auto-register");
    static readonly Problem NoSuchMemory = Problem.NotFound("Memory not found");

    public async Task<Result<MemoryItem>> Save(string agentId, NewMemory memory)
    {
        var problem = MemoryRules.CheckContent(memory.Content)
            ?? MemoryRules.CheckProjectId(memory.ProjectId)
            ?? MemoryRules.CheckMetadata(memory.MetadataJson);
        if (problem is not null) return problem;
        if (await Pool(agentId) is not { } machineId) return NotAMachine;
        var item = await store.Insert(machineId, agentId, MemoryRules.ProjectOrDefault(memory.ProjectId), memory.Content!,
            memory.MetadataJson ?? "{}", clock.GetUtcNow());
        return Result<MemoryItem>.Ok(item);
    }

    public async Task<Result<MemoryPage>> List(string agentId, MemoryQuery query)
    {
        if (MemoryRules.CheckQuery(query) is { } problem) return problem;
        if (await Pool(agentId) is not { } machineId) return NotAMachine;
        var page = await store.Search(machineId, query.ProjectId, query.Query,
            query.Limit ?? MemoryRules.DefaultLimit, query.Offset ?? 0);
        return Result<MemoryPage>.Ok(page);
    }

    public async Task<Result<MemoryItem>> Get(string agentId, string memoryId)
    {
        if (await Pool(agentId) is not { } machineId) return NotAMachine;
        return IsMemoryId(memoryId) && await store.Find(machineId, memoryId) is { } item ? Result<MemoryItem>.Ok(item) : NoSuchMemory;
    }

    public async Task<Result<MemoryItem>> Delete(string agentId, string memoryId)
    {
        if (await Pool(agentId) is not { } machineId) return NotAMachine;
        return IsMemoryId(memoryId) && await store.Delete(machineId, memoryId) is { } item ? Result<MemoryItem>.Ok(item) : NoSuchMemory;
    }

    public async Task<Result<IReadOnlyList<ProjectSummary>>> Projects(string agentId)
    {
        if (await Pool(agentId) is not { } machineId) return NotAMachine;
        var projects = (await store.Projects(machineId)).ToList();
        // Every machine has its default project, even before its first memory.
        if (!projects.Any(p => p.ProjectId == MemoryRules.DefaultProject))
            projects.Insert(0, new ProjectSummary(MemoryRules.DefaultProject, 0, null));
        return Result<IReadOnlyList<ProjectSummary>>.Ok(projects);
    }

    async Task<string?> Pool(string agentId)
    {
        var machineId = await GrainFactory.GetGrain<IMachineAgentGrain>(agentId).GetMachineId();
        if (machineId is not null) await store.CountCall(machineId, clock.GetUtcNow());
        return machineId;
    }

    static bool IsMemoryId(string id) => id.Length is > 4 and <= 100 && id.StartsWith("mem_", StringComparison.Ordinal);
}
