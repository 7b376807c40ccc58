using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.DirectMessages;

/// <summary>Seed-shaped DM calls (seed: Agent DMs) and what the DM tables hold, counted from PostgreSQL.</summary>
public static class DmClient
{
    public static async Task<HttpResponseMessage> SendDm(this ActorsStack stack, string apiKey, string to, string message, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/dm") { Content = JsonContent.Create(new { to, message }) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>A DM that must be accepted; the seed's <c>message</c>.</summary>
    public static async Task<JsonElement> Dm(this ActorsStack stack, string apiKey, string to, string message)
    {
        var response = await stack.SendDm(apiKey, to, message);
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("message");
    }

    public static async Task<HttpResponseMessage> GetDms(this ActorsStack stack, string apiKey, string query = "")
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.GetAsync("/market/api/agents/dm" + query);
    }

    /// <summary>GET /dm that must succeed: the caller's conversations.</summary>
    public static async Task<JsonElement[]> Conversations(this ActorsStack stack, string apiKey)
    {
        var response = await stack.GetDms(apiKey);
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("conversations").EnumerateArray().ToArray();
    }

    /// <summary>GET /dm?with= that must succeed: the whole answer.</summary>
    public static async Task<JsonElement> Conversation(this ActorsStack stack, string apiKey, string with, string extra = "")
    {
        var response = await stack.GetDms(apiKey, $"?with={Uri.EscapeDataString(with)}{extra}");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    public static Task<long> DmsSentBy(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM dm_messages WHERE sender_id = @id", agentId);

    public static Task<long> DmsReceivedBy(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM dm_messages WHERE recipient_id = @id", agentId);

    /// <summary>The agent's rows of the conversation index.</summary>
    public static Task<long> ConversationRowsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM dm_conversations WHERE agent_id = @id", agentId);

    public static Task<long> DmEventsFor(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND event = 'dm.received'", agentId);

    /// <summary>The bodies of the agent's <c>dm.received</c> events, oldest first.</summary>
    public static async Task<JsonElement[]> DmEventBodiesFor(this ActorsStack stack, string agentId)
    {
        var json = (string?)await stack.Postgres.Scalar(
            "SELECT coalesce(json_agg(body::json ORDER BY created_at, event_id), '[]')::text FROM webhook_events WHERE agent_id = @id AND event = 'dm.received'",
            ("id", agentId));
        return JsonDocument.Parse(json!).RootElement.Clone().EnumerateArray().ToArray();
    }

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
