namespace Actors.Grains.Common;

/// <summary>
/// In-memory window: counters are cheap to lose (a lost counter only forgives one window), and
/// keeping them out of storage keeps the check off the database on every request. The grain
/// stays active until its window ends, so idle collection cannot reset a window early.
/// </summary>
public sealed class RateLimitGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IRateLimitGrain
{
    DateTimeOffset _windowEnds;
    int _count;

    public Task<RateDecision> TryAcquire(int limit, TimeSpan window)
    {
        if (limit < 1 || window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limit), "limit and window must be positive");
        var now = clock.GetUtcNow();
        if (now >= _windowEnds)
        {
            _windowEnds = now + window;
            _count = 0;
            DelayDeactivation(window);
        }
        var allowed = _count < limit;
        if (allowed) _count++;
        return Task.FromResult(new RateDecision(allowed, limit, limit - _count, _windowEnds - now));
    }
}
