namespace Actors.Grains.Platform;

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
        var now = Roll(limit, window);
        var allowed = _count < limit;
        if (allowed) _count++;
        return Task.FromResult(new RateDecision(allowed, limit, limit - _count, _windowEnds - now));
    }

    public Task<RateLease> Lease(int limit, TimeSpan window, int want)
    {
        var now = Roll(limit, window);
        var left = Math.Max(0, limit - _count);
        var granted = left == 0 ? 0 : Math.Clamp(Math.Min(want, left / 4), 1, left);
        _count += granted;
        return Task.FromResult(new RateLease(granted, limit, left - granted, _windowEnds - now, _windowEnds));
    }

    DateTimeOffset Roll(int limit, TimeSpan window)
    {
        if (limit < 1 || window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limit), "limit and window must be positive");
        var now = clock.GetUtcNow();
        if (now >= _windowEnds)
        {
            _windowEnds = now + window;
            _count = 0;
            DelayDeactivation(window);
        }
        return now;
    }
}
