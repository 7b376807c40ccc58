namespace Actors.Grains.Webhooks;

/// <summary>Where an event of the webhook outbox stands (<c>webhook_events.status</c>).</summary>
public static class WebhookEventStatus
{
    /// <summary>Waiting for its next attempt (or in flight).</summary>
    public const string Pending = "pending";

    /// <summary>A receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt of the schedule failed, or the receiver answered 410.</summary>
    public const string Failed = "failed";

    /// <summary>Not sent: the agent had no enabled endpoint when it came due.</summary>
    public const string Settled = "settled";
}
