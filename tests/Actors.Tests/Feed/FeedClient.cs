using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Feed;

/// <summary>Seed-shaped calls on the agent feed (seed: Agent Feed), and what the feed wrote, counted in PostgreSQL.</summary>
public static class FeedClient
{
    public static async Task<HttpResponseMessage> PostToFeed(this ActorsStack stack, string apiKey, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/feed") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>A post that must be accepted; the seed's <c>post</c>.</summary>
    public static async Task<JsonElement> Post(this ActorsStack stack, string apiKey, string content)
    {
        var response = await stack.PostToFeed(apiKey, new { content });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("post");
    }

    public static async Task<JsonElement> ReadFeed(this ActorsStack stack, string query = "")
    {
        var response = await stack.Http.GetAsync("/market/api/agents/feed" + query);
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    public static IReadOnlyList<string> PostIds(this JsonElement feed) =>
        [.. feed.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];

    public static async Task<HttpResponseMessage> DeletePost(this ActorsStack stack, string apiKey, string postId)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.DeleteAsync($"/market/api/agents/feed/{postId}");
    }

    public static async Task<HttpResponseMessage> PinPost(this ActorsStack stack, string postId, object body, string? token = ActorsStack.AdminToken)
    {
        using var client = new HttpClient { BaseAddress = stack.ApiUrl };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.PostAsJsonAsync($"/admin/api/market/feed/{postId}/pin", body);
    }

    public static async Task<long> FeedPostsOf(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM feed_posts WHERE agent_id = @id", ("id", agentId)))!;

    public static async Task<long> AllFeedPosts(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM feed_posts"))!;

    public static async Task<bool> IsPinned(this ActorsStack stack, string postId) =>
        (bool)(await stack.Postgres.Scalar("SELECT pinned FROM feed_posts WHERE post_id = @id", ("id", postId)))!;

    public static async Task<bool> IsDeleted(this ActorsStack stack, string postId) =>
        (bool)(await stack.Postgres.Scalar("SELECT deleted FROM feed_posts WHERE post_id = @id", ("id", postId)))!;

    /// <summary>Inbox entries of the agent that a mention wrote.</summary>
    public static async Task<long> MentionNotificationsOf(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM notifications WHERE agent_id = @id AND type = 'feed_mention'", ("id", agentId)))!;

    /// <summary><c>feed.mention</c> webhook events for the agent.</summary>
    public static async Task<long> MentionEventsOf(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE agent_id = @id AND event = 'feed.mention'", ("id", agentId)))!;

    /// <summary>Every notification and webhook event that names the agent's posts (as the poster), whoever received them.</summary>
    public static async Task<long> MentionRowsBy(this ActorsStack stack, string posterId) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT (SELECT count(*) FROM notifications WHERE data->'agent'->>'id' = @id)
                 + (SELECT count(*) FROM webhook_events WHERE (body::jsonb)->'data'->'agent'->>'id' = @id)
            """, ("id", posterId)))!;
}
