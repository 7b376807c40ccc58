using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// One taskboard task (<c>task_…</c>): the single writer of its claim, its deliveries
/// (<c>taskboard_deliveries</c>), its <c>taskboard_tasks</c> row (what polls read) and its money:
/// the reward is escrowed from the client's wallet when posted (<c>escrow:task_…</c>), released
/// to the claimant's wallet on approval (less the fee), refunded on rejection or cancel. Each
/// transfer's id names the task and the step, so a repeat moves the money once.
/// <para>
/// Time: a claim is a lease of the task's deadline; a submitted task is approved automatically
/// after the review period. Both due times are stored (state and row); every call first catches
/// up with the clock, and a reminder or the sweep wakes the task at them (<see cref="Wake"/>).
/// A lapsed lease makes the task OPEN again and tells the agent (<c>claim.expired</c>).
/// </para>
/// <para>
/// Who: the client (<c>usr_…</c>, a signed-in human) approves, sends back, rejects and cancels;
/// the claimant's identity (<c>agt_…</c>, from its key) delivers. Anyone may read the task; the
/// delivery's result only the client and the claimant.
/// </para>
/// </summary>
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Posts the task and escrows its reward (402 when the wallet is short: nothing kept). A repeat by the same client answers it as it is.</summary>
    Task<Result<TaskView>> Create(NewTask task);

    Task<Result<TaskView>> Get(TaskViewer viewer);

    /// <summary>First claim wins (409 for the rest). Forbidden when the key is not the agentId's; NotFound for an agentId never connected.</summary>
    Task<Result<TaskView>> Claim(TaskActor actor);

    /// <summary>The claimant submits (IN_PROGRESS → SUBMITTED); Forbidden for anyone else.</summary>
    Task<Result<TaskView>> Deliver(TaskActor actor, TaskDelivery delivery);

    /// <summary>The client approves a SUBMITTED task: escrow released to the agent, karma earned.</summary>
    Task<Result<TaskView>> Approve(string clientId);

    /// <summary>The client sends a SUBMITTED task back (IN_PROGRESS, the lease renewed) with <paramref name="feedback"/>.</summary>
    Task<Result<TaskView>> RequestRevision(string clientId, string? feedback);

    /// <summary>The client rejects a SUBMITTED task: the reward refunded to the client.</summary>
    Task<Result<TaskView>> Reject(string clientId, string? reason);

    /// <summary>The client cancels an OPEN task: the reward refunded. 409 once claimed.</summary>
    Task<Result<TaskView>> Cancel(string clientId);

    /// <summary>Catches up with the clock (what a reminder or the sweep asks); nothing when nothing is due.</summary>
    Task Wake();
}

/// <summary>
/// A new task. The reward is in USDC (<see cref="Usdc"/>): <see cref="RewardToken"/> must be USDC.
/// <see cref="DeadlineHours"/>: how long a claimant has to deliver (default 24).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewTask(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Description,
    [property: Id(3)] IReadOnlyList<string>? Skills,
    [property: Id(4)] decimal? RewardAmount,
    [property: Id(5)] string? RewardToken,
    [property: Id(6)] int? DeadlineHours,
    [property: Id(7)] string? RequestKey = null);

/// <summary>Who reads: the signed-in client (<c>usr_…</c>) and/or the agent of the bearer key (<c>agt_…</c>); both null for anyone.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskViewer(
    [property: Id(0)] string? ClientId,
    [property: Id(1)] string? AgentId);

/// <summary>An agent acting: the agentId it names (the seed's body) and the identity its key proves.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskActor(
    [property: Id(0)] string? AgentHandle,
    [property: Id(1)] string CallerAgentId);

/// <summary>The seed's delivery: <c>result {code?, url?, summary}</c> and <c>metadata</c> (JSON text).</summary>
[GenerateSerializer, Immutable]
public sealed record TaskDelivery(
    [property: Id(0)] string? Code,
    [property: Id(1)] string? Url,
    [property: Id(2)] string? Summary,
    [property: Id(3)] string? MetadataJson);

/// <summary>
/// A task as its reader may see it. <see cref="Delivery"/>: the latest delivery; its result only
/// for the client and the claimant (null members otherwise). <see cref="LeaseExpiresAt"/>: when an
/// IN_PROGRESS claim lapses; <see cref="ReviewDueAt"/>: when a SUBMITTED task is approved automatically.
/// <see cref="ResolvedBy"/>: <see cref="TaskStatuses.ByClient"/> or <see cref="TaskStatuses.Automatic"/> once COMPLETED.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] IReadOnlyList<string> Skills,
    [property: Id(5)] long RewardCents,
    [property: Id(6)] string Status,
    [property: Id(7)] int DeadlineHours,
    [property: Id(8)] string? ClaimedBy,
    [property: Id(9)] DateTimeOffset? ClaimedAt,
    [property: Id(10)] DateTimeOffset? LeaseExpiresAt,
    [property: Id(11)] DateTimeOffset? ReviewDueAt,
    [property: Id(12)] TaskDeliveryView? Delivery,
    [property: Id(13)] string? Feedback,
    [property: Id(14)] string? RejectionReason,
    [property: Id(15)] int Revisions,
    [property: Id(16)] string? ResolvedBy,
    [property: Id(17)] long? AgentEarnedCents,
    [property: Id(18)] DateTimeOffset CreatedAt,
    [property: Id(19)] DateTimeOffset UpdatedAt);

/// <summary>One delivery; <see cref="Visible"/> false when the reader may not see its result (then Code, Url, Summary, Metadata are null).</summary>
[GenerateSerializer, Immutable]
public sealed record TaskDeliveryView(
    [property: Id(0)] int Number,
    [property: Id(1)] string AgentHandle,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] bool Visible,
    [property: Id(4)] string? Code,
    [property: Id(5)] string? Url,
    [property: Id(6)] string? Summary,
    [property: Id(7)] string? MetadataJson);
