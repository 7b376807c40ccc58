namespace Actors.Grains.Subscriptions;

/// <summary>
/// One run (<c>subscription_runs</c>): <see cref="ScheduledAt"/> is the slot it was due,
/// <see cref="StartedAt"/> when it was created (a catch-up run starts later than its slot),
/// <see cref="CompletedAt"/> when it was reported or missed. <see cref="Error"/> is
/// <see cref="SubscriptionRunStatus.Missed"/> for a run nobody reported.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionRunView(
    [property: Id(0)] string Id,
    [property: Id(1)] string SubscriptionId,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset ScheduledAt,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] string? Output,
    [property: Id(7)] string? Error);
