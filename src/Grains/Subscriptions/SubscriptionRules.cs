using System.Globalization;
using Actors.Grains.Identity;
using Actors.Grains.Market;
using Actors.Grains.Platform;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// The subscriptions' pure rules: what may be subscribed to, the schedule's arithmetic, the
/// reliability string, who may do what. No clock, no I/O: the grain passes "now".
/// </summary>
public static class SubscriptionRules
{
    /// <summary>The service's refusal of a new subscription by <paramref name="subscriberId"/>, or null when it may be subscribed.</summary>
    public static Problem? CheckService(string? serviceId, ServiceListing? listing, string subscriberId)
    {
        if (listing is null || listing.Deleted) return Problem.NotFound($"Service '{serviceId}' not found");
        if (listing.Type != ServiceType.Subscription)
            return Problem.Invalid("serviceId", $"Service '{serviceId}' is not a subscription service: hire it instead");
        if (listing.AgentId == subscriberId) return Problem.Invalid("serviceId", "An agent cannot subscribe to its own service");
        if (!listing.Active) return Problem.Invalid("serviceId", "This service is not active");
        if (listing.MonthlyPriceCents is not >= 0 || listing.RunIntervalHours is not (>= 1 and <= 720))
            return Problem.Invalid("serviceId", "This service has no valid subscription price or interval");
        return null;
    }

    /// <summary>
    /// How long one interval lasts: <paramref name="runIntervalHours"/> hours of <paramref name="hourLength"/>,
    /// in whole microseconds (what PostgreSQL keeps), so every slot is stored exactly as it was computed.
    /// </summary>
    public static TimeSpan Interval(int runIntervalHours, TimeSpan hourLength)
    {
        var ticks = hourLength.Ticks * runIntervalHours;
        return TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMicrosecond, ticks - ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>
    /// The first slot strictly after <paramref name="now"/>, slots being <paramref name="createdAt"/> + k × interval
    /// (k ≥ 1): however many slots passed, the schedule resumes at the next one (no backfill), and
    /// pausing and resuming never shifts the slots.
    /// </summary>
    public static DateTimeOffset NextSlot(DateTimeOffset createdAt, TimeSpan interval, DateTimeOffset now)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval));
        if (now < createdAt) return createdAt + interval;
        var k = (now - createdAt).Ticks / interval.Ticks + 1;
        return createdAt + TimeSpan.FromTicks(interval.Ticks * k);
    }

    /// <summary>
    /// After the month due at <paramref name="due"/> is paid at <paramref name="now"/>: the next month
    /// counted from <paramref name="anchor"/> (the start of the months: calendar months from it keep its
    /// day, so Jan 31 goes on to Feb 28 and then Mar 31), or, when that is not after now, a month from
    /// now, which becomes the new anchor (months missed together are charged once, and the next month
    /// starts from the payment).
    /// </summary>
    public static (DateTimeOffset Next, DateTimeOffset Anchor) NextBilling(DateTimeOffset anchor, DateTimeOffset due, DateTimeOffset now)
    {
        var months = Math.Max(0, (due.Year - anchor.Year) * 12 + due.Month - anchor.Month);
        var next = anchor.AddMonths(months);
        while (next <= due) next = anchor.AddMonths(++months);
        return next > now ? (next, anchor) : (now.AddMonths(1), now);
    }

    /// <summary>The seed's "96.7%": successful over finished runs, one decimal; "N/A" before any run finished.</summary>
    public static string Reliability(int successful, int failed) =>
        successful + failed == 0 ? "N/A"
        : (100.0 * successful / (successful + failed)).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>A run's id, the same for the same slot of the same subscription (a repeated wake writes it once).</summary>
    public static string RunId(string subscriptionId, DateTimeOffset scheduledAt) =>
        "run_" + SecretHash.Of($"{subscriptionId}\n{scheduledAt.UtcTicks}")[..32];

    /// <summary>The action as given (any case), or the 400 naming <c>action</c>.</summary>
    public static Result<string> ParseAction(string? action)
    {
        var normalized = action?.Trim().ToLowerInvariant();
        return normalized is not null && SubscriptionActions.All.Contains(normalized)
            ? Result<string>.Ok(normalized)
            : Problem.Invalid("action", "action must be one of " + string.Join(", ", SubscriptionActions.All));
    }

    /// <summary>The 409 when <paramref name="action"/> does not apply to a subscription in <paramref name="status"/>; null when it does.</summary>
    public static Problem? Allowed(string action, string status) => (action, status) switch
    {
        (SubscriptionActions.Pause, SubscriptionStatus.Active) => null,
        (SubscriptionActions.Resume, SubscriptionStatus.Paused) => null,
        (SubscriptionActions.Cancel, SubscriptionStatus.Active or SubscriptionStatus.Paused) => null,
        _ => Problem.Conflict($"This subscription is {status}"),
    };

    /// <summary>The report's status in upper case, or the 400 naming <c>status</c> or <c>output</c>.</summary>
    public static Result<string> CheckReport(SubscriptionRunReport report)
    {
        var status = report.Status?.Trim().ToUpperInvariant();
        if (status is null || !SubscriptionRunStatus.Reportable.Contains(status))
            return Problem.Invalid("status", "status must be COMPLETED or FAILED");
        if (report.Output is { Length: > SubscriptionLimits.MaxOutput })
            return Problem.Invalid("output", $"output must be at most {SubscriptionLimits.MaxOutput} characters");
        return Result<string>.Ok(status);
    }

    /// <summary>The list's query with role and status normalised, or the 400 naming the wrong one.</summary>
    public static Result<SubscriptionQuery> CheckQuery(SubscriptionQuery query)
    {
        var role = query.Role?.Trim().ToLowerInvariant() ?? SubscriptionRoles.Buyer;
        var status = query.Status?.Trim().ToUpperInvariant();
        if (role is not (SubscriptionRoles.Buyer or SubscriptionRoles.Provider)) return Problem.Invalid("role", "role must be buyer or provider");
        if (status is not null && !SubscriptionStatus.All.Contains(status))
            return Problem.Invalid("status", "status must be one of " + string.Join(", ", SubscriptionStatus.All));
        if (Paging.Check(query.Limit, query.Offset, SubscriptionLimits.MaxListLimit) is { } page) return page;
        return Result<SubscriptionQuery>.Ok(query with { Role = role, Status = status });
    }
}
