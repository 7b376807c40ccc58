namespace Actors.Grains.Common;

/// <summary>
/// One fixed-window counter, keyed <c>rl_{scope}:{subject}</c> (see <see cref="RateLimitKey"/>).
/// A grain is one activation in the whole cluster, so the limit holds across API replicas.
/// </summary>
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Counts one request against <paramref name="limit"/> per <paramref name="window"/>.</summary>
    Task<RateDecision> TryAcquire(int limit, TimeSpan window);
}

public static class RateLimitKey
{
    public static string For(string scope, string subject) => $"rl_{scope}:{subject}";
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
