using Actors.Tests.Infrastructure;

namespace Actors.Tests.Webhooks;

/// <summary>The webhook tables, counted straight from PostgreSQL.</summary>
public static class WebhookStored
{
    public static Task<long> WebhookEventsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM webhook_events WHERE agent_id = @id", agentId);

    public static Task<long> WebhookAttemptsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM webhook_deliveries WHERE agent_id = @id", agentId);

    public static async Task<string?> WebhookEventStatus(this ActorsStack stack, string eventId) =>
        (string?)await stack.Postgres.Scalar("SELECT status FROM webhook_events WHERE event_id = @id", ("id", eventId));

    /// <summary>Events of the agent that are still to be sent (none left in flight or due).</summary>
    public static Task<long> PendingWebhookEventsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND status = 'pending'", agentId);

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
