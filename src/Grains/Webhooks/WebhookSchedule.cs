namespace Actors.Grains.Webhooks;

/// <summary>
/// When a failed delivery is tried again: immediately (the first attempt), then 5 s, 5 min, 30 min,
/// 2 h, 5 h, 10 h and 10 h after each failure (about 27 h, eight attempts), each delay stretched by
/// up to 10% of jitter so that receivers coming back are not hit by every sender at once. A 429
/// or 503 with <c>Retry-After</c> waits what the receiver asked for instead (at most 10 h).
/// </summary>
public static class WebhookSchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public const double MaxJitter = 0.10;

    /// <summary>The longest a receiver's <c>Retry-After</c> is honoured.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(10);

    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/> (1-based), or null when it
    /// was the last. <paramref name="jitter"/> is in [0, 1).
    /// </summary>
    public static TimeSpan? After(int attempt, TimeSpan? retryAfter, double jitter)
    {
        if (attempt < 1 || attempt >= MaxAttempts) return null;
        var scheduled = Delays[attempt - 1] * (1 + MaxJitter * Math.Clamp(jitter, 0, 1));
        return retryAfter is { } asked ? (asked < MaxRetryAfter ? asked : MaxRetryAfter) : scheduled;
    }

    /// <summary>A receiver's <c>Retry-After</c>: seconds, or an HTTP date (read against <paramref name="now"/>).</summary>
    public static TimeSpan? RetryAfter(string? header, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (long.TryParse(header.Trim(), out var seconds))
            return seconds < 0 ? null : TimeSpan.FromSeconds(Math.Min(seconds, (long)MaxRetryAfter.TotalSeconds));
        if (DateTimeOffset.TryParse(header, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }
}
