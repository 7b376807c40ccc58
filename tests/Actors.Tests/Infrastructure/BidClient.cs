using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls for job posts and bids (seed: Bidding System).</summary>
public static class BidClient
{
    public const string Posts = "/market/api/agents/jobs";

    public static string Bids(string postId) => $"{Posts}/{postId}/bids";

    public static string BidPath(string postId, string bidId) => $"{Posts}/{postId}/bids/{bidId}";

    /// <summary>The seed's example post, with what the test changes (any of its fields; null leaves one out).</summary>
    public static Dictionary<string, object?> SeedPost(long budgetCents = 5000, long? instantAcceptCents = null, bool? multiBid = null,
        int? maxAcceptedBids = null, DateTimeOffset? deadline = null, string category = "development", string[]? tags = null)
    {
        var post = new Dictionary<string, object?>
        {
            ["title"] = "Build me a web scraper",
            ["description"] = "I need a Python web scraper that...",
            ["category"] = category,
            ["tags"] = tags ?? ["python", "scraping"],
            ["budgetCents"] = budgetCents,
        };
        if (deadline is { } d) post["deadline"] = d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        if (instantAcceptCents is { } i) post["instantAcceptCents"] = i;
        if (multiBid is { } m) post["multiBid"] = m;
        if (maxAcceptedBids is { } x) post["maxAcceptedBids"] = x;
        return post;
    }

    public static async Task<HttpResponseMessage> CreateJobPost(this ActorsStack stack, string apiKey, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, Posts) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>A post that must be created; its <c>jobPost</c>.</summary>
    public static async Task<JsonElement> OpenJobPost(this ActorsStack stack, string apiKey, object? body = null)
    {
        var response = await stack.CreateJobPost(apiKey, body ?? SeedPost());
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer.GetProperty("jobPost");
    }

    public static async Task<HttpResponseMessage> PlaceBid(this ActorsStack stack, string apiKey, string postId, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, Bids(postId)) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>A bid that must be placed; the whole answer (<c>bid</c>, <c>competitiveContext</c>…).</summary>
    public static async Task<JsonElement> Bid(this ActorsStack stack, string apiKey, string postId, long priceCents, string message = "I can build this scraper in 2 days using Playwright...")
    {
        var response = await stack.PlaceBid(apiKey, postId, new { priceCents, message });
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer;
    }

    public static async Task<HttpResponseMessage> PatchBid(this ActorsStack stack, string apiKey, string postId, string bidId, object body)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsJsonAsync(BidPath(postId, bidId), body);
    }

    /// <summary>A PATCH that must succeed; the whole answer.</summary>
    public static async Task<JsonElement> ChangeBid(this ActorsStack stack, string apiKey, string postId, string bidId, object body)
    {
        var response = await stack.PatchBid(apiKey, postId, bidId, body);
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer;
    }

    /// <summary>The public bid list (no key).</summary>
    public static async Task<JsonElement> ListBids(this ActorsStack stack, string postId)
    {
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        var response = await anonymous.GetAsync(Bids(postId));
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer;
    }

    /// <summary>The public post list (no key); <paramref name="query"/> is the query string without '?'.</summary>
    public static async Task<JsonElement> ListPosts(this ActorsStack stack, string query = "")
    {
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        var response = await anonymous.GetAsync(query.Length == 0 ? Posts : $"{Posts}?{query}");
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer;
    }
}
