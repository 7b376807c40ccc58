using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Platform;

/// <summary>How a <see cref="DueSweep"/> runs: how often (zero: off), how long past due a grain is left to its reminder, how many per sweep, how many at once.</summary>
public readonly record struct DueSweepSettings(TimeSpan Every, TimeSpan Grace, int Batch, int Parallelism);

/// <summary>
/// Wakes, on every silo, the grains whose stored due time passed more than the grace ago without
/// their reminder having woken them (a silo down across it, a lost or late reminder): the most
/// overdue first, a batch per sweep, so many at once. A wake is idempotent (the grain decides from
/// its stored due times), so silos sweeping the same rows do no harm; a failed one is logged and
/// found again by the next sweep. A subclass says where the due rows are and how one is woken.
/// </summary>
public abstract class DueSweep(IHostApplicationLifetime lifetime, TimeProvider clock, ILogger logger, string one, string many) : BackgroundService
{
    /// <summary>Read once, when the sweep starts.</summary>
    protected abstract DueSweepSettings Settings();

    /// <summary>The ids due at or before <paramref name="dueBy"/>, the most overdue first.</summary>
    protected abstract Task<List<string>> Due(DateTimeOffset dueBy, int limit, CancellationToken ct);

    protected abstract Task Wake(string id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = Settings();
        if (settings.Every <= TimeSpan.Zero) return;
        // Grain calls need the silo running: it starts after the hosted services registered before it.
        try { await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken); }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested) { }
        catch (OperationCanceledException) { return; }

        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await Sweep(settings, stoppingToken) >= settings.Batch;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sweeping due {Many} failed; will retry", many);
            }
            if (full) continue; // more are overdue: take the next batch now
            // Real time, not the domain clock: a test's fake clock only moves when the test moves it.
            try { await Task.Delay(settings.Every, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Wakes one batch of overdue grains; how many were found.</summary>
    async Task<int> Sweep(DueSweepSettings settings, CancellationToken ct)
    {
        var due = await Due(clock.GetUtcNow() - settings.Grace, Math.Max(1, settings.Batch), ct);
        if (due.Count == 0) return 0;
        var failed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = ct },
            async (id, _) =>
            {
                try { await Wake(id); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) == 1) logger.LogWarning(e, "Waking {One} {Id} failed; the next sweep retries", one, id);
                }
            });
        if (failed > 1) logger.LogWarning("{Failed} of {Due} due {Many} could not be woken; the next sweep retries", failed, due.Count, many);
        return failed == due.Count ? 0 : due.Count;
    }
}
