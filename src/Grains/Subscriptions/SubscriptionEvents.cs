using Actors.Grains.Market;
using Actors.Grains.Notifications;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// What one subscription step tells its sides: a webhook event and an inbox notification (type: the
/// event's name in snake_case, <see cref="JobEvents.TypeOf"/>) for each recipient, written in the batch
/// of the row that records the step (<see cref="SubscriptionStore.Write"/>), so both commit or neither.
/// <para>
/// Ids are deterministic: a run's events are named by the run (whose id is the slot's), a month's
/// pause by the month, the creation and the cancellation (each happens once) by the subscription, a
/// pause or resume by the subscriber by its time. A step written again (a repeated wake, a retry
/// after a write whose answer was lost) names the same ids and the outboxes ignore the second write.
/// </para>
/// </summary>
public sealed record SubscriptionEvents(IReadOnlyList<WebhookEvent> Webhooks, IReadOnlyList<Notification> Notifications)
{
    public const string Created = "subscription.created";
    public const string Run = "subscription.run";
    public const string RunCompleted = "subscription.run.completed";
    public const string RunFailed = "subscription.run.failed";
    public const string Paused = "subscription.paused";
    public const string Resumed = "subscription.resumed";
    public const string Cancelled = "subscription.cancelled";

    public const string Subscriber = "subscriber";
    public const string Provider = "provider";

    public static readonly SubscriptionEvents None = new([], []);

    public bool IsEmpty => Webhooks.Count == 0 && Notifications.Count == 0;

    public SubscriptionEvents And(SubscriptionEvents other) =>
        other.IsEmpty ? this : IsEmpty ? other : new([.. Webhooks, .. other.Webhooks], [.. Notifications, .. other.Notifications]);

    /// <summary>
    /// A change of the subscription itself (<paramref name="eventName"/>: created, paused, resumed,
    /// cancelled) for each of <paramref name="roles"/>; <paramref name="step"/> tells apart steps of
    /// the same name (a second pause), null for steps that happen once.
    /// </summary>
    public static SubscriptionEvents Change(SubscriptionRow s, string eventName, string? step, params string[] roles)
    {
        var suffix = step is null ? "" : "_" + step;
        var recipients = roles.Distinct().ToList();
        return new(
            [.. recipients.Select(role => new WebhookEvent(PartyOf(s, role), eventName, Data(s), EventId: $"msg_{s.SubscriptionId}_{eventName}{suffix}_{role}"))],
            [.. recipients.Select(role => new Notification(PartyOf(s, role), JobEvents.TypeOf(eventName), Title(s, eventName, role), Body(s, eventName, role),
                Link(s.SubscriptionId), Summary(s), $"ntf_{s.SubscriptionId}_{eventName}{suffix}_{role}"))]);
    }

    /// <summary><c>subscription.run</c> for the provider: a run is due; report it at <c>reportUrl</c>.</summary>
    public static SubscriptionEvents RunDue(SubscriptionRow s, SubscriptionRunView run)
    {
        var data = new Dictionary<string, object?>
        {
            ["subscriptionId"] = s.SubscriptionId,
            ["runId"] = run.Id,
            ["scheduledAt"] = run.ScheduledAt,
            ["serviceId"] = s.ServiceId,
            ["subscriberId"] = s.SubscriberId,
            ["reportUrl"] = $"/api/subscriptions/{s.SubscriptionId}/runs/{run.Id}",
        };
        return new(
            [new WebhookEvent(s.ProviderId, Run, data, EventId: $"msg_{run.Id}_{Run}")],
            [new Notification(s.ProviderId, JobEvents.TypeOf(Run), $"Run due: \"{s.ServiceTitle}\"",
                $"A scheduled run of \"{s.ServiceTitle}\" is due: deliver it and report it COMPLETED or FAILED.",
                Link(s.SubscriptionId), data, $"ntf_{run.Id}_{Run}")]);
    }

    /// <summary><c>subscription.run.completed</c> or <c>subscription.run.failed</c> (reported or missed) for the subscriber.</summary>
    public static SubscriptionEvents RunFinished(SubscriptionRow s, SubscriptionRunView run)
    {
        var eventName = run.Status == SubscriptionRunStatus.Completed ? RunCompleted : RunFailed;
        var data = new Dictionary<string, object?>
        {
            ["subscriptionId"] = s.SubscriptionId,
            ["runId"] = run.Id,
            ["status"] = run.Status,
            ["scheduledAt"] = run.ScheduledAt,
            ["startedAt"] = run.StartedAt,
            ["completedAt"] = run.CompletedAt,
            ["output"] = run.Output,
            ["error"] = run.Error,
            ["serviceId"] = s.ServiceId,
        };
        var (title, body) = (run.Status, run.Error) switch
        {
            (SubscriptionRunStatus.Completed, _) => ($"Run completed: \"{s.ServiceTitle}\"", $"{s.ProviderName} completed a scheduled run."),
            (_, SubscriptionRunStatus.Missed) => ($"Run missed: \"{s.ServiceTitle}\"", $"{s.ProviderName} did not report a scheduled run before the next was due."),
            _ => ($"Run failed: \"{s.ServiceTitle}\"", $"{s.ProviderName} reported a scheduled run as failed."),
        };
        return new(
            [new WebhookEvent(s.SubscriberId, eventName, data, EventId: $"msg_{run.Id}_{eventName}")],
            [new Notification(s.SubscriberId, JobEvents.TypeOf(eventName), title, body, Link(s.SubscriptionId),
                new { subscriptionId = s.SubscriptionId, runId = run.Id, status = run.Status, error = run.Error }, $"ntf_{run.Id}_{eventName}")]);
    }

    static string Title(SubscriptionRow s, string eventName, string role) => eventName switch
    {
        Created => $"New subscriber: \"{s.ServiceTitle}\"",
        Paused => $"Subscription paused: \"{s.ServiceTitle}\"",
        Resumed => $"Subscription resumed: \"{s.ServiceTitle}\"",
        Cancelled => $"Subscription cancelled: \"{s.ServiceTitle}\"",
        _ => $"\"{s.ServiceTitle}\"",
    };

    static string Body(SubscriptionRow s, string eventName, string role) => eventName switch
    {
        Created => $"An agent subscribed to \"{s.ServiceTitle}\" (${Usd.Format(s.PriceCents)} a month, a run every {s.RunIntervalHours} h); the first month is paid to you.",
        Paused when s.PauseReason == PauseReasons.InsufficientFunds => role == Subscriber
            ? $"Your wallet could not pay the month (${Usd.Format(s.PriceCents)}): fund it and resume the subscription."
            : "The subscriber's wallet could not pay the month: no runs until it resumes.",
        Paused => "The subscriber paused the subscription: no runs until it resumes.",
        Resumed => "The subscriber resumed the subscription: runs are scheduled again.",
        Cancelled when role == Subscriber => "The service was deleted: the subscription is cancelled.",
        Cancelled => "The subscription is cancelled: no more runs or charges.",
        _ => eventName,
    };

    /// <summary>The webhook's <c>data</c>: the subscription as it is after the step.</summary>
    static Dictionary<string, object?> Data(SubscriptionRow s) => new()
    {
        ["id"] = s.SubscriptionId,
        ["status"] = s.Status,
        ["serviceId"] = s.ServiceId,
        ["subscriberId"] = s.SubscriberId,
        ["providerId"] = s.ProviderId,
        ["priceCents"] = s.PriceCents,
        ["runIntervalHours"] = s.RunIntervalHours,
        ["nextRunAt"] = s.NextRunAt,
        ["nextBillingAt"] = s.NextBillingAt,
        ["pausedAt"] = s.PausedAt,
        ["pauseReason"] = s.PauseReason,
        ["cancelledAt"] = s.CancelledAt,
        ["createdAt"] = s.CreatedAt,
        ["updatedAt"] = s.UpdatedAt,
    };

    static object Summary(SubscriptionRow s) => new
    {
        subscriptionId = s.SubscriptionId,
        serviceId = s.ServiceId,
        status = s.Status,
        priceCents = s.PriceCents,
        pauseReason = s.PauseReason,
    };

    static string PartyOf(SubscriptionRow s, string role) => role == Subscriber ? s.SubscriberId : s.ProviderId;

    static string Link(string subscriptionId) => $"/subscriptions/{subscriptionId}";
}
