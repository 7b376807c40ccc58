using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

public sealed class ApiKeyState
{
    public string? AgentId { get; set; }
    public string? Prefix { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class ApiKeyGrain(
    [PersistentState("api-key", "store")] IPersistentState<ApiKeyState> key,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IApiKeyGrain
{
    public async Task<bool> Issue(string agentId, string prefix)
    {
        if (key.State.AgentId is not null) return key.State.AgentId == agentId;
        key.State = new ApiKeyState { AgentId = agentId, Prefix = prefix, IssuedAt = clock.GetUtcNow() };
        await key.WriteStateAsync();
        return true;
    }

    public Task<ApiKeyOwner?> Resolve() =>
        Task.FromResult(key.State is { AgentId: { } agentId, Prefix: { } prefix, RevokedAt: null }
            ? new ApiKeyOwner(agentId, prefix)
            : null);

    public async Task Revoke()
    {
        if (key.State.AgentId is null || key.State.RevokedAt is not null) return;
        key.State.RevokedAt = clock.GetUtcNow();
        await key.WriteStateAsync();
    }
}
