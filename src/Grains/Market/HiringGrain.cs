using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class HiringGrain(JobStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IHiringGrain
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public Task<Result<HireOutcome>> Hire(NewJob request)
    {
        // With an Idempotency-Key the job's id is derived from it: a retry whose first answer was
        // lost reaches the same job, which cannot be created (or escrowed) twice.
        var jobId = request.RequestKey is { } key
            ? "job_" + SecretHash.Of($"{request.BuyerId}\n{key}")[..32]
            : RandomToken.Id("job");
        return GrainFactory.GetGrain<IJobGrain>(jobId).Create(request);
    }

    public async Task<Result<IReadOnlyList<JobView>>> List(JobQuery query)
    {
        // Clients send statuses as the seed prints them (REQUESTED) or in lower case; roles likewise.
        query = query with { Role = query.Role?.Trim().ToLowerInvariant(), Status = query.Status?.Trim().ToUpperInvariant() };
        if (query.Role is not (null or JobRules.Buyer or JobRules.Worker)) return Problem.Invalid("role", "role must be buyer or worker");
        if (query.Status is not null && !JobStatus.All.Contains(query.Status))
            return Problem.Invalid("status", "status must be one of " + string.Join(", ", JobStatus.All));
        if (Paging.Check(query.Limit, query.Offset, MaxLimit) is { } page) return page;

        var jobs = await store.List(query.AgentId, query.Role, query.Status, query.Limit ?? DefaultLimit, query.Offset ?? 0);
        // A row whose due time has passed is asked of its grain, which catches up first: the list
        // never shows a job as DELIVERED (or unpaid REQUESTED) after it has completed (or cancelled) itself.
        var now = clock.GetUtcNow();
        for (var i = jobs.Count - 1; i >= 0; i--)
        {
            if (jobs[i].DueAt is not { } due || now < due) continue;
            var fresh = await GrainFactory.GetGrain<IJobGrain>(jobs[i].Id).Get(query.AgentId);
            if (fresh is null || (query.Status is not null && fresh.Status != query.Status)) jobs.RemoveAt(i);
            else jobs[i] = fresh with { Messages = null };
        }
        return Result<IReadOnlyList<JobView>>.Ok(jobs);
    }
}
