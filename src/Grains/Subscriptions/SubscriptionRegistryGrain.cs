using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Subscriptions;

[StatelessWorker, Reentrant]
public sealed class SubscriptionRegistryGrain(SubscriptionStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    : Grain, ISubscriptionRegistryGrain
{
    public Task<Result<SubscriptionView>> Subscribe(NewSubscription request)
    {
        // With an Idempotency-Key the subscription's id is derived from it: a retry whose first answer
        // was lost reaches the same subscription, which is created (and charged) once.
        var subscriptionId = request.RequestKey is { } key
            ? "sub_" + SecretHash.Of($"{request.SubscriberId}\n{key}")[..32]
            : RandomToken.Id("sub");
        return GrainFactory.GetGrain<ISubscriptionGrain>(subscriptionId).Create(request);
    }

    public async Task<Result<IReadOnlyList<SubscriptionView>>> List(SubscriptionQuery query)
    {
        var checkedQuery = SubscriptionRules.CheckQuery(query);
        if (checkedQuery.Problem is { } invalid) return invalid;
        query = checkedQuery.Value!;

        var rows = await store.List(query.AgentId, query.Role!, query.Status, query.Limit ?? SubscriptionLimits.DefaultListLimit, query.Offset ?? 0);
        // A row whose due time has passed is asked of its grain, which catches up first: the list never
        // shows a schedule that has already moved on (a run due, a month unpaid).
        var now = clock.GetUtcNow();
        var list = new List<SubscriptionView>(rows.Count);
        foreach (var row in rows)
        {
            if (row.NextDueAt is not { } due || now < due)
            {
                list.Add(row.View());
                continue;
            }
            var fresh = await GrainFactory.GetGrain<ISubscriptionGrain>(row.SubscriptionId).Get(query.AgentId);
            if (fresh.Value is not { } view || (query.Status is not null && view.Status != query.Status)) continue;
            list.Add(view with { Runs = null });
        }
        return Result<IReadOnlyList<SubscriptionView>>.Ok(list);
    }
}
