using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Market;

public sealed class ServiceState
{
    /// <summary>Null until created; kept after deletion (Deleted true), so the service's jobs keep it.</summary>
    public ServiceListing? Listing { get; set; }
}

/// <summary>
/// A service's listing, its <c>market_services</c> row and its owner's summary of it change
/// together (the AgentGrain discipline, issue 12): each change goes first to the owning agent
/// (<see cref="IAgentGrain.PutService"/>: it alone can refuse, when the agent lists the most
/// services it may), then to the row, then to the state. A failure at any step puts the earlier
/// ones back to the stored listing and answers the error; should that fail too, the next
/// activation brings the row and the agent's summary back to the stored listing (both writes are
/// idempotent and skipped when nothing differs), and a retry of the change completes it.
/// </summary>
public sealed class ServiceGrain(
    [PersistentState("market-service", "store")] IPersistentState<ServiceState> service,
    ServiceStore store,
    ILogger<ServiceGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IServiceGrain
{
    string ServiceId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        if (service.State.Listing is not { } listing) return;
        // Best effort: a read of this service must not fail for it; the next change writes both anyway.
        try
        {
            var rowFixed = await store.Upsert(listing);
            var agent = await GrainFactory.GetGrain<IAgentGrain>(listing.AgentId).PutService(ServiceSummary.Of(listing));
            if (rowFixed) logger.LogWarning("Row of service {ServiceId} differed from its stored listing; corrected", ServiceId);
            if (agent.Problem is { } problem)
                logger.LogWarning("Agent {AgentId} refused the summary of service {ServiceId}: {Problem}", listing.AgentId, ServiceId, problem.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Service {ServiceId} could not be checked against its row and agent", ServiceId);
        }
    }

    public Task<ServiceListing?> GetListing() => Task.FromResult(service.State.Listing);

    public async Task<Result<ServiceListing>> Create(string agentId, ServiceFields fields)
    {
        if (service.State.Listing is not null) return Problem.Conflict("Service already exists");
        var created = ServiceRules.Create(ServiceId, agentId, fields, clock.GetUtcNow());
        if (created.Problem is { } problem) return problem;
        return await Keep(stored: null, created.Value!);
    }

    public async Task<Result<ServiceListing>> Update(string agentId, ServiceFields changes)
    {
        if (Owned(agentId) is { } refusal) return refusal;
        var current = service.State.Listing!;
        var changed = ServiceRules.Change(current, changes, clock.GetUtcNow());
        if (changed.Problem is { } problem) return problem;
        return ReferenceEquals(changed.Value, current) ? Result<ServiceListing>.Ok(current) : await Keep(current, changed.Value!);
    }

    public async Task<Result<ServiceListing>> Delete(string agentId)
    {
        if (Owned(agentId) is { } refusal) return refusal;
        var current = service.State.Listing!;
        return await Keep(current, current with { Active = false, Deleted = true, UpdatedAt = clock.GetUtcNow() });
    }

    /// <summary>Unknown and deleted services are not found; another agent's is forbidden (services are public).</summary>
    Problem? Owned(string agentId) => service.State.Listing switch
    {
        null or { Deleted: true } => Problem.NotFound("Service not found"),
        { } listing when listing.AgentId != agentId => Problem.Forbidden("Only the agent that lists this service may change it"),
        _ => null,
    };

    /// <summary>The agent, the row, the state, in that order (see the class comment).</summary>
    async Task<Result<ServiceListing>> Keep(ServiceListing? stored, ServiceListing next)
    {
        var agent = GrainFactory.GetGrain<IAgentGrain>(next.AgentId);
        var told = await agent.PutService(ServiceSummary.Of(next));
        if (told.Problem is { } problem) return problem;
        try
        {
            await store.Upsert(next);
            service.State.Listing = next;
            await service.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The activation is dropped (FailedCallRecovery), so the next call reads the stored state.
            service.State.Listing = stored;
            if (stored is null)
            {
                await BestEffort("delete the row", () => store.Delete(ServiceId));
                await BestEffort("drop the agent's summary", () => agent.PutService(ServiceSummary.Of(next) with { Deleted = true }));
            }
            else
            {
                await BestEffort("put the row back", () => store.Upsert(stored));
                await BestEffort("put the agent's summary back", () => agent.PutService(ServiceSummary.Of(stored)));
            }
            throw;
        }
        return Result<ServiceListing>.Ok(next);
    }

    Task BestEffort(string what, Func<Task> step) => Undo.Step(logger, $"change of service {ServiceId}", what, step);
}
