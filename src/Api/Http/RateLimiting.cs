using System.Collections.Concurrent;
using System.Globalization;
using Actors.Grains.Common;

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
    // scope names the limit (one counter per scope and subject); subject says who is counted
    // (the caller's key, an email; null skips the limit); rejection builds the surface's own 429 body.
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

            http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return rejection?.Invoke(decision) ?? ApiProblem.Create(StatusCodes.Status429TooManyRequests,
                $"Rate limit exceeded: {limit} requests per {window.TotalSeconds:0} seconds. Try again in {decision.RetryAfterSeconds} seconds.");
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
    /// <summary>The silo's domain clock key (Actors.Grains.DomainClock.Key): tests move both clocks together.</summary>
    const string DomainClockKey = "domain";

    readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(DomainClockKey) ?? TimeProvider.System;
    readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    int _sinceSweep;

    sealed class Lease
    {
        public DateTimeOffset WindowId;
        public DateTimeOffset Ends;
        public int Left;
        public int Unleased;
    }

    public async ValueTask<RateDecision> Acquire(string key, int limit, TimeSpan window)
    {
        var now = _clock.GetUtcNow();
        if (_leases.TryGetValue(key, out var lease))
        {
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
            }
        }

        var granted = await orleans.GetGrain<IRateLimitGrain>(key).Lease(limit, window, limit);
        var ends = now + granted.ResetAfter;
        var allowed = granted.Granted > 0;
        var fresh = new Lease { WindowId = granted.WindowEnds, Ends = ends, Left = Math.Max(0, granted.Granted - 1), Unleased = granted.Unleased };
        var stored = _leases.GetOrAdd(key, fresh);
        int remaining;
        if (!ReferenceEquals(stored, fresh))
        {
            lock (stored)
            {
                if (stored.WindowId == granted.WindowEnds)
                {
                    // Another request of this replica leased in the same window meanwhile: pool the grants.
                    stored.Left += fresh.Left;
                    stored.Unleased = Math.Min(stored.Unleased, fresh.Unleased);
                    stored.Ends = stored.Ends < ends ? stored.Ends : ends;
                }
                else if (stored.WindowId < granted.WindowEnds)
                {
                    (stored.WindowId, stored.Ends, stored.Left, stored.Unleased) = (fresh.WindowId, fresh.Ends, fresh.Left, fresh.Unleased);
                }
                remaining = stored.WindowId == granted.WindowEnds ? stored.Unleased + stored.Left : granted.Unleased;
            }
        }
        else remaining = fresh.Unleased + fresh.Left;

        if (Interlocked.Increment(ref _sinceSweep) % 4096 == 0) Sweep(now);
        return new RateDecision(allowed, limit, allowed ? remaining : 0, granted.ResetAfter);
    }

    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, lease) in _leases)
            if (lease.Ends <= now) _leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
    }
}
