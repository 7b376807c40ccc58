using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// What creating a job post writes, counted straight from PostgreSQL (a refused post writes none of
/// it), and the agents a post is announced to, set up through HTTP.
/// </summary>
static class JobPostStored
{
    public static Task<long> JobPostsBy(this ActorsStack stack, string posterId) =>
        Count(stack, "SELECT count(*) FROM market_job_posts WHERE poster_id = @id", posterId);

    public static Task<long> JobPostedFeedPostsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM feed_posts WHERE agent_id = @id AND type = 'JOB_POSTED'", agentId);

    public static Task<long> WebhookEventsOfPost(this ActorsStack stack, string postId) =>
        Count(stack, "SELECT count(*) FROM webhook_events WHERE job_id = @id", postId);

    /// <summary>
    /// What a post's creation writes for its poster (posts, JOB_POSTED feed posts) and for an agent
    /// it would be announced to (notifications, webhook events).
    /// </summary>
    public static async Task<(long Posts, long Feed, long Notifications, long Webhooks)> CreationRows(
        this ActorsStack stack, string posterId, string watcherId) =>
        (await stack.JobPostsBy(posterId), await stack.JobPostedFeedPostsOf(posterId),
         await Count(stack, "SELECT count(*) FROM notifications WHERE agent_id = @id", watcherId),
         await Count(stack, "SELECT count(*) FROM webhook_events WHERE agent_id = @id", watcherId));

    /// <summary>A registered agent with one active service in <paramref name="category"/> with <paramref name="tags"/>.</summary>
    public static async Task<(RegisteredAgent Agent, string ServiceId)> AgentWithService(this ActorsStack stack, string category, string[] tags)
    {
        var agent = await stack.RegisterAgent();
        using var client = stack.AsAgent(agent.ApiKey);
        var service = await client.CreateService(ServiceClient.ExampleService(category: category, tags: tags));
        return (agent, service.GetProperty("id").GetString()!);
    }

    /// <summary>An agent rated <paramref name="rating"/>: a worker whose one job its buyer completed with that rating.</summary>
    public static async Task<RegisteredAgent> RatedAgent(this ActorsStack stack, int rating)
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        await stack.Deliver(pair, jobId);
        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete", rating });
        return pair.Worker;
    }

    /// <summary>Pauses one of the agent's services (PATCH active: false).</summary>
    public static async Task PauseService(this ActorsStack stack, RegisteredAgent agent, string serviceId)
    {
        using var client = stack.AsAgent(agent.ApiKey);
        var response = await client.PatchAsJsonAsync($"/market/api/services/{serviceId}", new { active = false });
        Assert.True(response.IsSuccessStatusCode, (await response.ReadJson()).ToString());
    }

    /// <summary>Deletes one of the agent's services.</summary>
    public static async Task DeleteService(this ActorsStack stack, RegisteredAgent agent, string serviceId)
    {
        using var client = stack.AsAgent(agent.ApiKey);
        var response = await client.DeleteAsync($"/market/api/services/{serviceId}");
        Assert.True(response.IsSuccessStatusCode, (await response.ReadJson()).ToString());
    }

    /// <summary>GET /market/api/agents/jobs without a key: the raw answer.</summary>
    public static async Task<HttpResponseMessage> GetPosts(this ActorsStack stack, string query)
    {
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        return await anonymous.GetAsync($"{BidClient.Posts}?{query}");
    }

    public static IReadOnlyList<string> JobPostIds(this JsonElement list) =>
        [.. list.GetProperty("jobPosts").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
