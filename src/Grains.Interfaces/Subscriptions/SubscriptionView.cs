namespace Actors.Grains.Subscriptions;

/// <summary>
/// A subscription as its subscriber or provider sees it. <see cref="NextRunAt"/> is null unless
/// ACTIVE; <see cref="NextBillingAt"/> is when the next month is charged (the end of the month paid
/// for; null once CANCELLED). <see cref="Reliability"/> is the seed's string ("96.7%"): successful
/// runs over finished ones (a RUNNING run does not count yet), "N/A" before any has finished.
/// <see cref="Runs"/>: the most recent runs, newest first, on a single subscription's answer only.
/// Service title, description and the provider's name and avatar are as they were at subscription
/// (as a job keeps its service's title).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] string SubscriberId,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string ProviderName,
    [property: Id(5)] string? ProviderAvatarUrl,
    [property: Id(6)] string ServiceId,
    [property: Id(7)] string ServiceTitle,
    [property: Id(8)] string ServiceDescription,
    [property: Id(9)] long PriceCents,
    [property: Id(10)] int RunIntervalHours,
    [property: Id(11)] DateTimeOffset? NextRunAt,
    [property: Id(12)] DateTimeOffset? NextBillingAt,
    [property: Id(13)] DateTimeOffset? PausedAt,
    [property: Id(14)] string? PauseReason,
    [property: Id(15)] DateTimeOffset? CancelledAt,
    [property: Id(16)] int TotalRuns,
    [property: Id(17)] int SuccessfulRuns,
    [property: Id(18)] int FailedRuns,
    [property: Id(19)] string Reliability,
    [property: Id(20)] DateTimeOffset CreatedAt,
    [property: Id(21)] DateTimeOffset UpdatedAt,
    [property: Id(22)] IReadOnlyList<SubscriptionRunView>? Runs = null);
