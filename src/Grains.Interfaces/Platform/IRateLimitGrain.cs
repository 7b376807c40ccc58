namespace Actors.Grains.Platform;

/// <summary>
/// One fixed-window counter, keyed <c>rl_{scope}:{subject}</c> (see <see cref="RateLimitKey"/>).
/// A grain is one activation in the whole cluster, so the limit holds across API replicas.
/// </summary>
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Counts one request against <paramref name="limit"/> per <paramref name="window"/>.</summary>
    Task<RateDecision> TryAcquire(int limit, TimeSpan window);

    /// <summary>
    /// Grants up to <paramref name="want"/> requests of the current window at once (at least
    /// one while any are left, at most a quarter of what is left, so other replicas still get
    /// some), counted as used: an API replica spends them locally until the window ends. The
    /// grants of a window never add up to more than <paramref name="limit"/>.
    /// </summary>
    Task<RateLease> Lease(int limit, TimeSpan window, int want);
}

[GenerateSerializer, Immutable]
public sealed record RateDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] TimeSpan ResetAfter)
{
    /// <summary>Whole seconds until the window resets, at least 1: the <c>Retry-After</c> value.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(ResetAfter.TotalSeconds));
}

/// <summary>
/// <see cref="Granted"/> requests of the window ending at <see cref="WindowEnds"/> (the grain's
/// clock; identifies the window), <see cref="Unleased"/> still with the grain,
/// <see cref="ResetAfter"/> until the window ends.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RateLease(
    [property: Id(0)] int Granted,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Unleased,
    [property: Id(3)] TimeSpan ResetAfter,
    [property: Id(4)] DateTimeOffset WindowEnds);
