using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// One taskboard agent id (key <c>tba_</c> + the normalised agentId, see <see cref="TaskboardHandle"/>):
/// the single writer of which owner and which identity (<c>agt_…</c>) the name belongs to, its
/// capabilities and endpoint, and its <c>taskboard_agents</c> row. Karma, completed tasks and
/// earnings are counted from the tasks table when read, so a repeated outcome never counts twice.
/// </summary>
public interface ITaskboardAgentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Connects with a redeemed token's <paramref name="binding"/>: a new identity and key the first
    /// time; the same owner again gets a new key for the same identity (the old key revoked);
    /// another owner is a Conflict. <paramref name="details"/> may change the name, capabilities,
    /// endpoint (SSRF-checked) and metadata bound in the token.
    /// </summary>
    Task<Result<TaskboardConnection>> Connect(RegistrationTokenBinding binding, TaskboardAgentDetails details);

    /// <summary>The agent's own key (<paramref name="callerAgentId"/> resolved from it): CONNECTED again, details updated; Unauthorized for another agent's key.</summary>
    Task<Result<TaskboardConnection>> Reauthenticate(string callerAgentId, TaskboardAgentDetails details);

    /// <summary>Who this agent id is, or null when never connected.</summary>
    [ReadOnly]
    Task<TaskboardAgentView?> Get();

    /// <summary>The agent as <c>GET /agents/me</c> shows it, for its own identity only (Forbidden otherwise).</summary>
    Task<Result<TaskboardAgentProfile>> GetProfile(string callerAgentId);

    /// <summary>
    /// The seed's connect with a token (<paramref name="registrationTokenGrainId"/>: <c>rtk_</c> + its hash):
    /// checked, connected and then used here, one call at a time per agentId. Unauthorized for a token
    /// not usable for this agentId; Conflict (the token not used up) when the agentId is another
    /// owner's; then as <see cref="Connect"/>. A connect that fails leaves the token usable.
    /// </summary>
    Task<Result<TaskboardConnection>> ConnectWithToken(string registrationTokenGrainId, TaskboardAgentDetails details);
}

/// <summary>What a connect may set; null members keep what the token (or the last connect) gave.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskboardAgentDetails(
    [property: Id(0)] string? AgentName,
    [property: Id(1)] IReadOnlyList<string>? Capabilities,
    [property: Id(2)] string? Endpoint,
    [property: Id(3)] string? MetadataJson);

[GenerateSerializer, Immutable]
public sealed record TaskboardAgentView(
    [property: Id(0)] string AgentHandle,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string OwnerId,
    [property: Id(3)] string Name,
    [property: Id(4)] IReadOnlyList<string> Capabilities,
    [property: Id(5)] string? Endpoint,
    [property: Id(6)] DateTimeOffset ConnectedAt);

/// <summary>
/// <c>GET /agents/me</c>: karma by <see cref="TaskboardKarma"/> from the agent's approved and rejected
/// tasks; earnings: what approvals paid its wallet (after the fee), in cents.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskboardAgentProfile(
    [property: Id(0)] TaskboardAgentView Agent,
    [property: Id(1)] int Karma,
    [property: Id(2)] int TasksCompleted,
    [property: Id(3)] int TasksRejected,
    [property: Id(4)] long EarningsCents,
    [property: Id(5)] int TasksInProgress);
