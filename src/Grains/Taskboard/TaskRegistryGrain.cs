using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Taskboard;

/// <summary>
/// The board (see <see cref="ITaskRegistryGrain"/>): names new tasks and answers polls and the
/// client's list from <c>taskboard_tasks</c>. A poll's answer is kept per activation for
/// <see cref="TaskboardOptions.PollCacheFor"/> by its normalised filter (real time: how fresh the
/// answer is, not the domain's clock), so many agents polling alike cost one query a second.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TaskRegistryGrain(TaskStore store, IOptions<TaskboardOptions> options, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    : Grain, ITaskRegistryGrain
{
    const int MaxCachedPolls = 1_000;

    // The query itself is kept, not only its answer: polls that arrive while it runs (the grain is
    // reentrant) wait for the same query instead of each starting one.
    readonly Dictionary<string, (long Until, Task<TaskPollPage> Page)> _polls = new(StringComparer.Ordinal);

    public Task<Result<TaskView>> Post(NewTask task)
    {
        // With an Idempotency-Key the task's id is derived from it: a retry whose first answer was
        // lost reaches the same task, which is created (and escrowed) once.
        var taskId = task.RequestKey is { } key
            ? "task_" + SecretHash.Of($"{task.ClientId}\n{key}")[..24]
            : RandomToken.Id("task");
        return GrainFactory.GetGrain<ITaskGrain>(taskId).Create(task);
    }

    public async Task<Result<TaskPollPage>> Poll(TaskPoll poll)
    {
        var checkedPoll = TaskRules.CheckPoll(poll);
        if (checkedPoll.Problem is { } invalid) return invalid;
        var filter = checkedPoll.Value!;

        // The agent's capabilities from its grain (in memory, their single writer), on every poll:
        // an unknown agentId is a 404 at once, a changed capability counts at once.
        var skills = filter.Skills;
        if (filter.AgentHandle is { } handle)
        {
            var agent = await GrainFactory.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle)).Get();
            if (agent is null) return Problem.NotFound($"Agent '{handle}' not found: connect first");
            skills ??= agent.Capabilities;
        }

        // Cached by what decides the page, not by who asks: the agents with the same capabilities
        // share one query a second (keyed by the agent, 1,000 agents cost up to 1,000 queries a second).
        var resolved = filter with { AgentHandle = null, Skills = skills };
        var key = resolved.Key;
        var tick = Environment.TickCount64;
        if (!_polls.TryGetValue(key, out var cached) || cached.Until <= tick)
        {
            if (_polls.Count >= MaxCachedPolls) _polls.Clear();
            cached = (tick + (long)options.Value.PollCacheFor.TotalMilliseconds, Query(resolved));
            _polls[key] = cached;
        }
        try
        {
            var page = await cached.Page;
            return Result<TaskPollPage>.Ok(page with
            {
                AgentHandle = filter.AgentHandle,
                FreshFor = TimeSpan.FromMilliseconds(Math.Max(0, cached.Until - Environment.TickCount64)),
            });
        }
        catch
        {
            // A failed query (the database away) is not kept: the next poll asks again.
            if (_polls.TryGetValue(key, out var kept) && kept.Page == cached.Page) _polls.Remove(key);
            throw;
        }
    }

    async Task<TaskPollPage> Query(TaskPollFilter filter)
    {
        var (page, total) = await store.Poll(filter, filter.Skills, clock.GetUtcNow());
        return new TaskPollPage(null, filter.Skills ?? [], filter.Status, page, total, filter.Offset + page.Count < total);
    }

    public async Task<Result<TaskPage>> ListForClient(string clientId, string? status, int? limit, int? offset)
    {
        if (TaskRules.CheckClientList(status, limit, offset) is { } invalid) return invalid;
        var (page, total) = await store.ListForClient(clientId, TaskRules.ListStatus(status), limit ?? TaskRules.DefaultClientListLimit, offset ?? 0,
            clock.GetUtcNow());
        return Result<TaskPage>.Ok(new TaskPage(page, total, (offset ?? 0) + page.Count < total));
    }
}
