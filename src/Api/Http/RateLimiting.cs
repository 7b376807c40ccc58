using System.Collections.Concurrent;
using System.Globalization;
using Actors.Grains.Platform;

namespace Actors.Api.Http;

/// <summary>
/// Cluster-wide rate limits for endpoints: the counter lives in a grain, so every API replica
/// sees the same count. Answers 429 with <c>Retry-After</c> and the IETF <c>RateLimit</c> headers.
/// Each replica leases part of a window's allowance from the grain and spends it locally
/// (<see cref="RateLimitLeases"/>), so a busy key costs a grain call every few requests, not
/// every request, and the grain never grants more than the limit per window.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services) => services.AddSingleton<RateLimitLeases>();

    // scope names the limit (one counter per scope and subject); subject says who is counted
    // (the caller's key, an email; null skips the limit); rejection builds the surface's own 429 body,
    // which gets its Retry-After here.
    public static TBuilder RequireRateLimit<TBuilder>(
        this TBuilder builder, string scope, int limit, TimeSpan window,
        Func<HttpContext, string?> subject, Func<RateDecision, IResult>? rejection = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (subject(http) is not { } who) return await next(context);

            var leases = http.RequestServices.GetRequiredService<RateLimitLeases>();
            var decision = await leases.Acquire(RateLimitKey.For(scope, who), limit, window);
            WriteHeaders(http.Response, decision, window);
            if (decision.Allowed) return await next(context);

            var refusal = rejection?.Invoke(decision) ?? ApiProblem.Create(StatusCodes.Status429TooManyRequests,
                $"Rate limit exceeded: {limit} requests per {window.TotalSeconds:0} seconds. Try again in {decision.RetryAfterSeconds} seconds.");
            return refusal.WithRetryAfter(decision.RetryAfterSeconds);
        });

    public static void WriteHeaders(HttpResponse response, RateDecision decision, TimeSpan window)
    {
        var reset = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Policy"] = $"{decision.Limit};w={(int)window.TotalSeconds}";
        response.Headers["RateLimit"] = $"limit={decision.Limit}, remaining={decision.Remaining}, reset={reset}";
        response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = reset;
    }
}

/// <summary>
/// One API replica's leases of rate-limit windows (one per limit and subject). A request spends
/// one unit of the local lease; when none is left it asks the <see cref="IRateLimitGrain"/> for
/// more (a quarter of what is left at most, one at the end), and once the grain has nothing
/// left, the refusal is remembered here until the window ends. Strict: the grants of a window
/// add up to at most the limit across all replicas, and a lease is never spent after its window
/// (its end is measured from before the grain was asked). With several replicas a lease one
/// of them has not spent yet is lost to the others for that window: a client spreading its
/// requests over replicas can be refused a few requests before the limit, never after it.
/// </summary>
public sealed class RateLimitLeases(IClusterClient orleans, IServiceProvider services)
{
    /// <summary>The silo's domain clock key (Actors.Grains.Platform.DomainClock.Key): tests move both clocks together.</summary>
    const string DomainClockKey = "domain";

    readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(DomainClockKey) ?? TimeProvider.System;
    readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    int _sinceSweep;

    sealed class Lease
    {
        public DateTimeOffset WindowId = DateTimeOffset.MinValue;
        public DateTimeOffset Ends = DateTimeOffset.MinValue;
        public int Left;
        public int Unleased;
        /// <summary>The one grain call in flight for this key: requests that find the lease empty wait for it.</summary>
        public Task<RateLease>? Refill;
    }

    public async ValueTask<RateDecision> Acquire(string key, int limit, TimeSpan window)
    {
        var lease = _leases.GetOrAdd(key, static _ => new Lease());
        if (Interlocked.Increment(ref _sinceSweep) % 4096 == 0) Sweep(_clock.GetUtcNow());
        while (true)
        {
            var now = _clock.GetUtcNow();
            Task<RateLease>? refill;
            lock (lease)
            {
                if (now < lease.Ends)
                {
                    if (lease.Left > 0)
                    {
                        lease.Left--;
                        return new RateDecision(true, limit, lease.Unleased + lease.Left, lease.Ends - now);
                    }
                    if (lease.Unleased == 0) return new RateDecision(false, limit, 0, lease.Ends - now);
                }
                refill = lease.Refill;
            }
            // One call per key at a time, so a refusal is never read before a grant made earlier.
            if (refill is null)
            {
                var started = new TaskCompletionSource<RateLease>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (lease) refill = lease.Refill ??= started.Task;
                if (refill == started.Task) _ = RefillFrom(lease, key, limit, window, now, started);
            }
            var granted = await refill;
            if (granted.Granted == 0)
            {
                lock (lease)
                {
                    if (lease.Left > 0 && lease.WindowId == granted.WindowEnds)
                    {
                        lease.Left--;
                        return new RateDecision(true, limit, lease.Unleased + lease.Left, granted.ResetAfter);
                    }
                }
                return new RateDecision(false, limit, 0, granted.ResetAfter);
            }
            // Granted: loop to take one (other waiters may have taken them all first; then ask again).
        }
    }

    async Task RefillFrom(Lease lease, string key, int limit, TimeSpan window, DateTimeOffset now, TaskCompletionSource<RateLease> done)
    {
        try
        {
            var granted = await orleans.GetGrain<IRateLimitGrain>(key).Lease(limit, window, limit);
            // Measured from before the call: the lease never outlives the grain's window.
            var ends = now + granted.ResetAfter;
            lock (lease)
            {
                if (lease.WindowId < granted.WindowEnds)
                    (lease.WindowId, lease.Ends, lease.Left, lease.Unleased) = (granted.WindowEnds, ends, 0, granted.Unleased);
                if (lease.WindowId == granted.WindowEnds)
                {
                    lease.Left += granted.Granted;
                    lease.Unleased = Math.Min(lease.Unleased, granted.Unleased);
                    if (ends < lease.Ends) lease.Ends = ends;
                }
                lease.Refill = null;
            }
            done.SetResult(granted);
        }
        catch (Exception e)
        {
            lock (lease) lease.Refill = null;
            done.SetException(e);
        }
    }

    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, lease) in _leases)
            if (lease.Ends <= now && lease.Refill is null) _leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
    }
}
