using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

public sealed class RegistrationTokenState
{
    public string? OwnerId { get; set; }
    public string? AgentHandle { get; set; }
    public string? AgentName { get; set; }
    public List<string> Capabilities { get; set; } = [];
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// One registration token (key <c>rtk_</c> + the token's hash): what it binds and whether it was
/// used. The use is written before it is answered, so a token works once even across a crash.
/// </summary>
public sealed class RegistrationTokenGrain(
    [PersistentState("taskboard-registration-token", "store")] IPersistentState<RegistrationTokenState> token,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IRegistrationTokenGrain
{
    public const string Refused = "Invalid, used or expired registration token";

    RegistrationTokenState S => token.State;

    public async Task<bool> Issue(RegistrationTokenBinding binding)
    {
        if (S.OwnerId is not null) return false;
        token.State = new RegistrationTokenState
        {
            OwnerId = binding.OwnerId,
            AgentHandle = binding.AgentHandle,
            AgentName = binding.AgentName,
            Capabilities = [.. binding.Capabilities],
            ExpiresAt = binding.ExpiresAt,
            IssuedAt = clock.GetUtcNow(),
        };
        await token.WriteStateAsync();
        return true;
    }

    public async Task<Result<RegistrationTokenBinding>> Redeem(string agentHandle)
    {
        if (Usable(agentHandle) is not { } binding) return new Problem(ProblemKind.Unauthorized, Refused);
        S.UsedAt = clock.GetUtcNow();
        await token.WriteStateAsync();
        return Result<RegistrationTokenBinding>.Ok(binding);
    }

    public Task<RegistrationTokenBinding?> Peek(string agentHandle) => Task.FromResult(Usable(agentHandle));

    RegistrationTokenBinding? Usable(string agentHandle) =>
        S is { OwnerId: { } owner, AgentHandle: { } handle, UsedAt: null } && handle == agentHandle && clock.GetUtcNow() < S.ExpiresAt
            ? new RegistrationTokenBinding(owner, handle, S.AgentName ?? handle, S.Capabilities, S.ExpiresAt)
            : null;
}
