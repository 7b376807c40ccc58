using System.Net.Http.Json;
using System.Text.Json;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// What a post's bids keep, read straight from PostgreSQL (a refused change leaves all of it as it
/// was), and the few calls the lifecycle and money tests share.
/// </summary>
static class BidStored
{
    /// <summary>Every bid row of the post as one text: id, status, price, message, updated_at of each.</summary>
    public static async Task<string> BidRows(this ActorsStack stack, string postId) =>
        (string?)await stack.Postgres.Scalar("""
            SELECT coalesce(string_agg(bid_id || ' ' || status || ' ' || price_cents || ' ' || message || ' ' || price_history || ' ' || updated_at, ' | ' ORDER BY bid_id), '')
            FROM market_bids WHERE post_id = @id
            """, ("id", postId)) ?? "";

    /// <summary>The post's row: status, counts, last change.</summary>
    public static async Task<string?> PostRow(this ActorsStack stack, string postId) =>
        (string?)await stack.Postgres.Scalar(
            "SELECT status || ' ' || bid_count || ' ' || accepted_count || ' ' || updated_at FROM market_job_posts WHERE post_id = @id", ("id", postId));

    public static async Task<long> BidsOf(this ActorsStack stack, string postId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM market_bids WHERE post_id = @id", ("id", postId)))!;

    /// <summary>Ledger transfers touching the agent's wallet (money it paid or got).</summary>
    public static async Task<long> TransfersOfWallet(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(DISTINCT transfer_id) FROM ledger_entries WHERE account_id = @id",
            ("id", LedgerAccount.AgentWallet(agentId))))!;

    /// <summary>The agent's notifications of <paramref name="type"/>, oldest first, as (title, body, data) texts.</summary>
    public static async Task<List<(string Title, string Body, JsonElement Data)>> NoticesOf(this ActorsStack stack, string agentId, string type)
    {
        var json = (string?)await stack.Postgres.Scalar("""
            SELECT coalesce(json_agg(json_build_object('title', title, 'body', body, 'data', data) ORDER BY created_at, notification_id), '[]')::text
            FROM notifications WHERE agent_id = @id AND type = @type
            """, ("id", agentId), ("type", type));
        return [.. JsonDocument.Parse(json!).RootElement.EnumerateArray()
            .Select(n => (n.GetProperty("title").GetString()!, n.GetProperty("body").GetString()!, n.GetProperty("data").Clone()))];
    }

    /// <summary>Webhook events of the post for the agent, by name.</summary>
    public static async Task<long> EventsOf(this ActorsStack stack, string postId, string agentId, string eventName) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE job_id = @post AND agent_id = @agent AND event = @event",
            ("post", postId), ("agent", agentId), ("event", eventName)))!;

    /// <summary>The operator's resolution of a disputed bid.</summary>
    public static async Task<HttpResponseMessage> ResolveBid(this ActorsStack stack, string postId, string bidId, object body)
    {
        using var admin = stack.AsAgent(ActorsStack.AdminToken);
        return await admin.PostAsJsonAsync($"/admin/api/market/job-posts/{postId}/bids/{bidId}/resolve", body);
    }

    /// <summary>GET …/jobs/:id (public); its <c>jobPost</c>.</summary>
    public static async Task<JsonElement> GetJobPost(this ActorsStack stack, string postId)
    {
        var response = await stack.Http.GetAsync($"{BidClient.Posts}/{postId}");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("jobPost");
    }

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    /// <summary>The bid of a POST …/bids answer.</summary>
    public static string BidId(this JsonElement placed) => placed.GetProperty("bid").Id();

    public static string Status(this JsonElement placed) => placed.GetProperty("bid").GetProperty("status").GetString()!;
}
