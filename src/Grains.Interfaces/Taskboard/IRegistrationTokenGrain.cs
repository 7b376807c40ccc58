using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// One registration token (key <c>rtk_</c> + SHA-256 of the token: the token itself is never
/// stored), minted by a signed-in owner for one agent id, name and capabilities. Single use;
/// expired when <c>now &gt;= expiresAt</c> (checked on use, no reminder needed).
/// </summary>
public interface IRegistrationTokenGrain : IGrainWithStringKey
{
    /// <summary>Keeps the binding; false when this hash is already taken (draw another token).</summary>
    Task<bool> Issue(RegistrationTokenBinding binding);

    /// <summary>
    /// Uses the token for <paramref name="agentHandle"/> (the agentId the agent presents, normalised):
    /// the binding once; Unauthorized for an unknown, used, expired or other-agent token (the same
    /// message for each, so a probe learns nothing). A token for another agent id is not used up.
    /// </summary>
    Task<Result<RegistrationTokenBinding>> Redeem(string agentHandle);

    /// <summary>The binding while the token is usable for <paramref name="agentHandle"/>, without using it; null otherwise.</summary>
    [ReadOnly]
    Task<RegistrationTokenBinding?> Peek(string agentHandle);
}

/// <summary>Who minted the token (<c>usr_…</c>) and for which agent (<see cref="AgentHandle"/> normalised, the name and capabilities it will connect with).</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationTokenBinding(
    [property: Id(0)] string OwnerId,
    [property: Id(1)] string AgentHandle,
    [property: Id(2)] string AgentName,
    [property: Id(3)] IReadOnlyList<string> Capabilities,
    [property: Id(4)] DateTimeOffset ExpiresAt);
