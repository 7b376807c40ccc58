using Actors.Grains.Platform;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// Wakes, on every silo, the subscriptions whose due time passed more than
/// <see cref="SubscriptionOptions.SweepGrace"/> ago without their reminder having woken them (a silo
/// down across it, a lost or late reminder): the most overdue first, <see cref="SubscriptionOptions.SweepBatch"/>
/// per sweep, <see cref="SubscriptionOptions.SweepParallelism"/> at once (see <see cref="DueSweep"/>).
/// </summary>
public sealed class SubscriptionSweep(
    SubscriptionStore store,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<SubscriptionOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<SubscriptionSweep> logger) : DueSweep(lifetime, clock, logger, "subscription", "subscriptions")
{
    protected override DueSweepSettings Settings()
    {
        var o = options.Value;
        return new DueSweepSettings(o.SweepEvery, o.SweepGrace, o.SweepBatch, o.SweepParallelism);
    }

    protected override Task<List<string>> Due(DateTimeOffset dueBy, int limit, CancellationToken ct) => store.Due(dueBy, limit, ct);

    protected override Task Wake(string id) => grains.GetGrain<ISubscriptionGrain>(id).Wake();
}
