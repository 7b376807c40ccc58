using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls for subscriptions (seed: Subscriptions).</summary>
public static class SubscriptionClient
{
    public const string Subscriptions = "/market/api/subscriptions";

    public static string SubscriptionPath(string id) => $"{Subscriptions}/{id}";

    public static string RunPath(string id, string runId) => $"{Subscriptions}/{id}/runs/{runId}";

    /// <summary>The seed's example: "Daily Market Analysis", $10.00 a month, run every 24 hours.</summary>
    public static object SubscriptionService(long priceCents = 1000, int runIntervalHours = 24, string? title = null) => new
    {
        title = title ?? Unique.Name("Daily Market Analysis"),
        description = "A market report every day",
        category = "research",
        tags = new[] { "markets" },
        type = "SUBSCRIPTION",
        priceCents,
        runIntervalHours,
    };

    /// <summary>Lists a SUBSCRIPTION service for the provider; its id.</summary>
    public static async Task<string> OfferSubscription(this ActorsStack stack, string providerKey, long priceCents = 1000, int runIntervalHours = 24)
    {
        using var provider = stack.AsAgent(providerKey);
        var service = await provider.CreateService(SubscriptionService(priceCents, runIntervalHours));
        return service.GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> Subscribe(this ActorsStack stack, string apiKey, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, Subscriptions) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>A subscription that must be created (201); its <c>subscription</c>.</summary>
    public static async Task<JsonElement> Subscribed(this ActorsStack stack, string apiKey, string serviceId, string? idempotencyKey = null)
    {
        var response = await stack.Subscribe(apiKey, new { serviceId }, idempotencyKey);
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("subscription");
    }

    /// <summary><c>GET /market/api/subscriptions</c> with the query given (e.g. "?role=provider&amp;status=ACTIVE").</summary>
    public static async Task<HttpResponseMessage> ListSubscriptions(this ActorsStack stack, string apiKey, string query = "")
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.GetAsync(Subscriptions + query);
    }

    public static async Task<HttpResponseMessage> GetSubscription(this ActorsStack stack, string apiKey, string id)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.GetAsync(SubscriptionPath(id));
    }

    /// <summary>A subscription its subscriber or provider must be able to read; its <c>subscription</c>.</summary>
    public static async Task<JsonElement> ReadSubscription(this ActorsStack stack, string apiKey, string id)
    {
        var response = await stack.GetSubscription(apiKey, id);
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("subscription");
    }

    public static async Task<HttpResponseMessage> PatchSubscription(this ActorsStack stack, string apiKey, string id, object body)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsJsonAsync(SubscriptionPath(id), body);
    }

    /// <summary>pause, resume or cancel that must succeed; the whole answer (<c>subscription</c>, <c>message</c>).</summary>
    public static async Task<JsonElement> ChangeSubscription(this ActorsStack stack, string apiKey, string id, string action)
    {
        var response = await stack.PatchSubscription(apiKey, id, new { action });
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {answer}");
        return answer;
    }

    public static async Task<HttpResponseMessage> PatchRun(this ActorsStack stack, string apiKey, string id, string runId, object body)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsJsonAsync(RunPath(id, runId), body);
    }

    /// <summary>The provider's report that must be accepted; its <c>run</c>.</summary>
    public static async Task<JsonElement> ReportRun(this ActorsStack stack, string providerKey, string id, string runId, string status, string? output = null)
    {
        var response = await stack.PatchRun(providerKey, id, runId, new { status, output });
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("run");
    }
}
