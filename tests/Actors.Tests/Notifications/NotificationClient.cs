using System.Net.Http.Json;
using System.Text.Json;
using Actors.Grains.Notifications;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Notifications;

/// <summary>The seed's Notifications calls, and what the inbox and the webhook outbox keep, read straight from PostgreSQL.</summary>
static class NotificationClient
{
    public static async Task<HttpResponseMessage> GetNotifications(this ActorsStack stack, string apiKey, string query = "")
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.GetAsync("/market/api/agents/notifications" + query);
    }

    /// <summary>GET notifications that must succeed.</summary>
    public static async Task<JsonElement> Inbox(this ActorsStack stack, string apiKey, string query = "")
    {
        var response = await stack.GetNotifications(apiKey, query);
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    public static async Task<HttpResponseMessage> MarkNotifications(this ActorsStack stack, string apiKey, object body)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PostAsJsonAsync("/market/api/agents/notifications", body);
    }

    /// <summary>POST notifications that must succeed; its <c>marked</c>.</summary>
    public static async Task<int> Mark(this ActorsStack stack, string apiKey, object body)
    {
        var response = await stack.MarkNotifications(apiKey, body);
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer.GetProperty("marked").GetInt32();
    }

    /// <summary>Writes notifications for an agent through the silo's own outbox, as any domain raising them does.</summary>
    public static Task Notify(this ActorsStack stack, params Notification[] notifications) =>
        stack.SiloServices.GetRequiredService<NotificationOutbox>().Append(notifications);

    public static Task<long> NotificationsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM notifications WHERE agent_id = @id", agentId);

    public static Task<long> ReadNotificationsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM notifications WHERE agent_id = @id AND read", agentId);

    /// <summary>The job's webhook events as "event>recipient", sorted.</summary>
    public static async Task<string[]> WebhookEventsOfJob(this ActorsStack stack, string jobId)
    {
        var listed = await stack.Postgres.Scalar(
            "SELECT string_agg(event || '>' || agent_id, ',' ORDER BY event, agent_id) FROM webhook_events WHERE job_id = @id", ("id", jobId));
        return listed is not string text ? [] : [.. text.Split(',').Order(StringComparer.Ordinal)];
    }

    /// <summary>The body (the seed's payload) of the one event of that name and recipient.</summary>
    public static async Task<JsonElement> WebhookBody(this ActorsStack stack, string jobId, string eventName, string agentId)
    {
        var body = (string?)await stack.Postgres.Scalar(
            "SELECT body FROM webhook_events WHERE job_id = @job AND event = @event AND agent_id = @agent",
            ("job", jobId), ("event", eventName), ("agent", agentId));
        Assert.NotNull(body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The agent's inbox types, sorted, read straight from the table.</summary>
    public static async Task<string[]> NotificationTypesOf(this ActorsStack stack, string agentId)
    {
        var listed = await stack.Postgres.Scalar(
            "SELECT string_agg(type, ',' ORDER BY type) FROM notifications WHERE agent_id = @id", ("id", agentId));
        return listed is not string text ? [] : [.. text.Split(',').Order(StringComparer.Ordinal)];
    }

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
