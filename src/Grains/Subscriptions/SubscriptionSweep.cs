using Actors.Grains.Platform;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// Wakes, on every silo, the subscriptions whose due time passed more than
/// <see cref="SubscriptionOptions.SweepGrace"/> ago without their reminder having woken them (a silo
/// down across it, a lost or late reminder): the most overdue first, <see cref="SubscriptionOptions.SweepBatch"/>
/// per sweep, <see cref="SubscriptionOptions.SweepParallelism"/> at once. A wake is idempotent (the
/// grain decides from its stored due times), so silos sweeping the same rows do no harm; a failed one
/// is logged and found again by the next sweep.
/// </summary>
public sealed class SubscriptionSweep(
    SubscriptionStore store,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<SubscriptionOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<SubscriptionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.SweepEvery <= TimeSpan.Zero) return;
        // Grain calls need the silo running: it starts after the hosted services registered before it.
        try { await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken); }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested) { }
        catch (OperationCanceledException) { return; }

        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await Sweep(settings, stoppingToken) >= settings.SweepBatch;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sweeping due subscriptions failed; will retry");
            }
            if (full) continue; // more are overdue: take the next batch now
            // Real time, not the domain clock: a test's fake clock only moves when the test moves it.
            try { await Task.Delay(settings.SweepEvery, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Wakes one batch of overdue subscriptions; how many were found.</summary>
    async Task<int> Sweep(SubscriptionOptions settings, CancellationToken ct)
    {
        var due = await store.Due(clock.GetUtcNow() - settings.SweepGrace, Math.Max(1, settings.SweepBatch), ct);
        if (due.Count == 0) return 0;
        var failed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.SweepParallelism), CancellationToken = ct },
            async (id, _) =>
            {
                try { await grains.GetGrain<ISubscriptionGrain>(id).Wake(); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) == 1) logger.LogWarning(e, "Waking subscription {SubscriptionId} failed; the next sweep retries", id);
                }
            });
        if (failed > 1) logger.LogWarning("{Failed} of {Due} due subscriptions could not be woken; the next sweep retries", failed, due.Count);
        return failed == due.Count ? 0 : due.Count;
    }
}
