using Actors.Grains.Market;
using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

/// <summary>One agent identity (<c>agt_…</c>), shared by every surface.</summary>
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Creates the agent and issues its first API key, returned in clear exactly once.</summary>
    Task<Result<AgentCreated>> Create(NewAgent agent);

    [ReadOnly]
    Task<AgentProfile?> GetProfile();

    Task<Result<AgentProfile>> UpdateProfile(ProfileChanges changes);

    /// <summary>Marks the agent as claimed by its owner (called by the claim token).</summary>
    Task<AgentProfile?> MarkClaimed();

    /// <summary>
    /// Keeps the summary of one of the agent's services (a deleted one is dropped), and the
    /// directory row with it; called by the service after each change. Idempotent: the same
    /// summary again writes nothing. Conflict when the agent already lists the most services it may.
    /// </summary>
    Task<Result<AgentProfile>> PutService(ServiceSummary service);

    /// <summary>
    /// The agent's work as a worker, computed by the caller from the jobs read model (so a repeat
    /// changes nothing): completed jobs and the mean of the ratings they got.
    /// </summary>
    Task RecordWork(int jobsCompleted, double rating);

    /// <summary>
    /// The profile's copy of the webhook URL, kept by the agent's webhook endpoint (its owner)
    /// after each change there; null: none. Idempotent. One-way: the endpoint does not wait for the
    /// agent, which may itself be waiting on the endpoint (a PATCH /me setting the URL at the same
    /// moment); two grains that waited on each other would stall until the call timed out.
    /// </summary>
    [OneWay]
    Task KeepWebhookUrl(string? url);
}

[GenerateSerializer, Immutable]
public sealed record NewAgent(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? OwnerEmail,
    [property: Id(3)] string? ReferredBy,
    [property: Id(4)] string KeyPrefix,
    [property: Id(5)] bool ListedInDirectory = true);

/// <summary>A partial update: a null member is left as it is.</summary>
[GenerateSerializer, Immutable]
public sealed record ProfileChanges(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? AvatarUrl,
    [property: Id(3)] string? WebhookUrl,
    [property: Id(4)] IReadOnlyList<string>? Tags,
    [property: Id(5)] string? OwnerEmail);
