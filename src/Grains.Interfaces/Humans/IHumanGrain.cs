namespace Actors.Grains.Humans;

/// <summary>
/// One human account, keyed by <c>hum_</c> + the normalized email (see <see cref="HumanKey"/>).
/// Shared by every surface: the humans who approve links, claim machines and own agents.
/// </summary>
public interface IHumanGrain : IGrainWithStringKey
{
    /// <summary>Creates the account on the first call; later calls find it (<c>Created</c> false).</summary>
    Task<HumanAccount> EnsureAccount();

    [ReadOnly]
    Task<HumanAccount?> GetAccount();

    /// <summary>Records an agent link this human approved or was asked to; false when the account is full.</summary>
    Task<bool> AttachLink(string linkId);

    /// <summary>Records a machine account merged into this human; false when the account is full.</summary>
    Task<bool> AttachMachine(string machineId);

    [ReadOnly]
    Task<HumanOverview?> GetOverview();

    /// <summary>Records an organisation this human created (and owns); false when the account is full.</summary>
    Task<bool> AttachOrg(string orgId);

    /// <summary>The organisations this human owns, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetOrgIds();

    /// <summary>The current link of one agent (keyed by agent id, or <c>quick:</c> + product name).</summary>
    [ReadOnly]
    Task<AgentLinkRef?> FindAgentLink(string agentKey);

    /// <summary>Makes <paramref name="link"/> the agent's current link (and attaches it); false when the account is full.</summary>
    Task<bool> SetAgentLink(string agentKey, AgentLinkRef link);

    /// <summary>
    /// At most one approval email per recipient per <paramref name="window"/>: records the send
    /// time in persisted state (so it holds across API replicas and restarts) when allowed.
    /// </summary>
    Task<EmailAllowance> ReserveApprovalEmail(TimeSpan window);

    /// <summary>
    /// Gives back a reservation whose email was never written (the signup failed after reserving),
    /// so a retry is not refused for an email nobody got. Only the latest reservation can be given back.
    /// </summary>
    Task ReleaseApprovalEmail(DateTimeOffset reservedAt);

    /// <summary>The link whose agent manages this account exclusively, if any.</summary>
    [ReadOnly]
    Task<AgentLinkRef?> GetExclusiveLink();

    /// <summary>Sets (<paramref name="link"/>) or clears (null, only if <paramref name="linkId"/> holds it) the exclusive agent.</summary>
    Task SetExclusiveLink(string linkId, AgentLinkRef? link);
}

[GenerateSerializer, Immutable]
public sealed record HumanAccount(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Email,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] bool Created);

[GenerateSerializer, Immutable]
public sealed record HumanOverview(
    [property: Id(0)] HumanAccount Account,
    [property: Id(1)] IReadOnlyList<string> LinkIds,
    [property: Id(2)] IReadOnlyList<string> MachineIds);

/// <summary>Which link an agent (or a quick-signup product) holds with this human.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentLinkRef(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string AgentId);

/// <summary>Whether an email may be sent now; when not, how long until it may.</summary>
[GenerateSerializer, Immutable]
public sealed record EmailAllowance(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int RetryAfterSeconds,
    [property: Id(2)] DateTimeOffset? ReservedAt = null);
