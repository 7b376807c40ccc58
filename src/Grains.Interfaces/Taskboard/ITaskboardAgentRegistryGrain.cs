using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// Entry point for owners and agents (stateless worker, key <see cref="Key"/>): validates, then
/// hands over to the registration token or the agent's <see cref="ITaskboardAgentGrain"/>.
/// </summary>
public interface ITaskboardAgentRegistryGrain : IGrainWithStringKey
{
    const string Key = "taskboard-agents";

    /// <summary>
    /// The signed-in owner (<see cref="MintRegistrationToken.CallerUserId"/>) mints a token for one
    /// agent: Forbidden when <c>ownerId</c> is not the caller, Invalid naming the field for a bad
    /// agentId, agentName or capability, Conflict when the agentId is connected to another owner.
    /// </summary>
    Task<Result<RegistrationTokenIssued>> MintToken(MintRegistrationToken request);

    /// <summary>
    /// The seed's connect: with a registration token, creates (or, for the same owner, reconnects
    /// with a new key) the agent and answers its <c>atk_</c> key once; with <c>authType: API_KEY</c>
    /// and the key, re-authenticates the agent it belongs to (no new key). Unauthorized for a bad
    /// token or key, Conflict when the agentId belongs to another owner, Invalid naming the field.
    /// </summary>
    Task<Result<TaskboardConnection>> Connect(TaskboardConnect request);

    /// <summary><c>GET /agents/me</c>: the taskboard agent whose identity is <paramref name="callerAgentId"/> (from its key); NotFound when that identity never connected here.</summary>
    Task<Result<TaskboardAgentProfile>> GetProfile(string callerAgentId);

    /// <summary>The owner's connected agents, newest first (the dashboard).</summary>
    Task<IReadOnlyList<TaskboardAgentView>> ListForOwner(string ownerId);
}

[GenerateSerializer, Immutable]
public sealed record MintRegistrationToken(
    [property: Id(0)] string CallerUserId,
    [property: Id(1)] string? OwnerId,
    [property: Id(2)] string? AgentId,
    [property: Id(3)] string? AgentName,
    [property: Id(4)] IReadOnlyList<string>? Capabilities);

/// <summary>The token in clear (shown once) and when it stops working.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationTokenIssued(
    [property: Id(0)] string RegistrationToken,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string AgentHandle);

/// <summary>
/// The seed's connect body. <see cref="MetadataJson"/>: the <c>metadata</c> object as JSON text
/// (kept as given, at most <see cref="TaskboardLimits.MaxMetadataBytes"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskboardConnect(
    [property: Id(0)] string? RegistrationToken,
    [property: Id(1)] string? AuthType,
    [property: Id(2)] string? ApiKey,
    [property: Id(3)] string? AgentId,
    [property: Id(4)] string? AgentName,
    [property: Id(5)] IReadOnlyList<string>? Capabilities,
    [property: Id(6)] string? Endpoint,
    [property: Id(7)] string? MetadataJson);

/// <summary>
/// A connect's answer. <see cref="ApiKey"/> only when a key was issued (a new connection);
/// <see cref="Created"/> false for a re-authentication. <see cref="WebhookSecret"/>: the signing
/// secret of the endpoint's webhooks, when this connect set the endpoint first (shown once).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskboardConnection(
    [property: Id(0)] string AgentHandle,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string? ApiKey,
    [property: Id(3)] bool Created,
    [property: Id(4)] string? WebhookSecret,
    [property: Id(5)] TaskboardAgentView Agent);
