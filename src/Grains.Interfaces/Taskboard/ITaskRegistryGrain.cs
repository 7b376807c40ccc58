using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// The board (stateless worker, key <see cref="Key"/>): names new tasks (from the client's
/// Idempotency-Key when given, so a retry reaches the same task and escrows once) and answers
/// polls and the client's list from the <c>taskboard_tasks</c> read model. Polls are cached per
/// activation for <c>Taskboard:PollCacheFor</c> (a second by default): a thousand agents polling
/// the same filter cost one query a second. A task whose lease lapsed is OPEN to polls at once.
/// </summary>
public interface ITaskRegistryGrain : IGrainWithStringKey
{
    const string Key = "tasks";

    Task<Result<TaskView>> Post(NewTask task);

    /// <summary>The seed's poll; NotFound for an <c>agentId</c> never connected, Invalid naming the filter at fault.</summary>
    Task<Result<TaskPollPage>> Poll(TaskPoll poll);

    /// <summary>The client's own tasks, newest first.</summary>
    Task<Result<TaskPage>> ListForClient(string clientId, string? status, int? limit, int? offset);
}

/// <summary>
/// The seed's poll query. <see cref="Skills"/>: comma-separated; none with an <see cref="AgentId"/>
/// means that agent's capabilities. <see cref="Status"/>: OPEN (default) or IN_PROGRESS. Rewards in USDC.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskPoll(
    [property: Id(0)] string? AgentId,
    [property: Id(1)] string? Skills,
    [property: Id(2)] string? Status,
    [property: Id(3)] decimal? MinReward,
    [property: Id(4)] decimal? MaxReward,
    [property: Id(5)] int? Limit,
    [property: Id(6)] int? Offset = null);

/// <summary>
/// A poll's answer: the filters applied (the agent's handle, the skills used, the status) and one
/// page. <see cref="FreshFor"/>: how much longer the board keeps this page for the same filter (a
/// caller may reuse it as long, and the answer is never older than the board's cache allows).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TaskPollPage(
    [property: Id(0)] string? AgentHandle,
    [property: Id(1)] IReadOnlyList<string> Skills,
    [property: Id(2)] string Status,
    [property: Id(3)] IReadOnlyList<TaskSummary> Tasks,
    [property: Id(4)] int Total,
    [property: Id(5)] bool HasMore,
    [property: Id(6)] TimeSpan FreshFor = default);

[GenerateSerializer, Immutable]
public sealed record TaskSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] long RewardCents,
    [property: Id(3)] IReadOnlyList<string> Skills,
    [property: Id(4)] string Status,
    [property: Id(5)] string? ClaimedBy,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable]
public sealed record TaskPage(
    [property: Id(0)] IReadOnlyList<TaskSummary> Tasks,
    [property: Id(1)] int Total,
    [property: Id(2)] bool HasMore);
