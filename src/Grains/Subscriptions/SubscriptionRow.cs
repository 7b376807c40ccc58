namespace Actors.Grains.Subscriptions;

/// <summary>
/// A subscription's <c>market_subscriptions</c> row: the definition (copied from <see cref="SubscriptionState"/>)
/// and what changes (status, schedule, counters, the open run). Its grain changes a copy and keeps it
/// only once the row is written.
/// </summary>
public sealed class SubscriptionRow
{
    public string SubscriptionId { get; set; } = "";
    public string SubscriberId { get; set; } = "";
    public string ProviderId { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string? ProviderAvatarUrl { get; set; }
    public string? ReferrerId { get; set; }
    public string ServiceId { get; set; } = "";
    public string ServiceTitle { get; set; } = "";
    public string ServiceDescription { get; set; } = "";
    public long PriceCents { get; set; }
    public int RunIntervalHours { get; set; }
    public string Status { get; set; } = SubscriptionStatus.Active;
    public DateTimeOffset? NextRunAt { get; set; }
    public DateTimeOffset? NextBillingAt { get; set; }
    public int BilledPeriods { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public string? PauseReason { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? OpenRunId { get; set; }
    public int TotalRuns { get; set; }
    public int SuccessfulRuns { get; set; }
    public int FailedRuns { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the grain next has something to do (the column <c>next_due_at</c>): null unless ACTIVE.</summary>
    public DateTimeOffset? NextDueAt => Status != SubscriptionStatus.Active ? null
        : NextRunAt is { } run && NextBillingAt is { } bill ? (run < bill ? run : bill)
        : NextRunAt ?? NextBillingAt;

    public SubscriptionRow Copy() => (SubscriptionRow)MemberwiseClone();

    /// <summary>The row of a new subscription: ACTIVE, the first month paid, the first run one interval away.</summary>
    public static SubscriptionRow New(string subscriptionId, SubscriptionState s, DateTimeOffset nextRunAt, DateTimeOffset nextBillingAt) => new()
    {
        SubscriptionId = subscriptionId,
        SubscriberId = s.SubscriberId,
        ProviderId = s.ProviderId,
        ProviderName = s.ProviderName,
        ProviderAvatarUrl = s.ProviderAvatarUrl,
        ReferrerId = s.ReferrerId,
        ServiceId = s.ServiceId,
        ServiceTitle = s.ServiceTitle,
        ServiceDescription = s.ServiceDescription,
        PriceCents = s.PriceCents,
        RunIntervalHours = s.RunIntervalHours,
        Status = SubscriptionStatus.Active,
        NextRunAt = nextRunAt,
        NextBillingAt = nextBillingAt,
        BilledPeriods = 1,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.CreatedAt,
    };

    public SubscriptionView View(IReadOnlyList<SubscriptionRunView>? runs = null) => new(
        SubscriptionId, Status, SubscriberId, ProviderId, ProviderName, ProviderAvatarUrl, ServiceId, ServiceTitle, ServiceDescription,
        PriceCents, RunIntervalHours, NextRunAt, NextBillingAt, PausedAt, PauseReason, CancelledAt, TotalRuns, SuccessfulRuns, FailedRuns,
        SubscriptionRules.Reliability(SuccessfulRuns, FailedRuns), CreatedAt, UpdatedAt, runs);
}
