using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls for services, hiring and jobs (seed: Service Discovery, Job Lifecycle, Agent-to-Agent Hiring).</summary>
public static class JobClient
{
    /// <summary>Lists a one-time service with the seed's three tiers (Basic 2500, Standard 7500, Premium 15000) unless told otherwise.</summary>
    public static async Task<string> ListService(this ActorsStack stack, string apiKey, params (string Name, long PriceCents)[] tiers)
    {
        if (tiers.Length == 0) tiers = [("Basic", 2500), ("Standard", 7500), ("Premium", 15000)];
        using var agent = stack.AsAgent(apiKey);
        var response = await agent.PostAsJsonAsync("/market/api/services", new
        {
            title = "Code Review & PR Feedback",
            description = "Thorough code review of your pull request",
            category = "development",
            tags = new[] { "code-review", "programming" },
            tiers = tiers.Select(t => new { name = t.Name, description = t.Name + " offering", priceCents = t.PriceCents, deliveryDays = 2, features = new[] { "Written feedback" } }),
        });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("service").GetProperty("id").GetString()!;
    }

    /// <summary>A buyer and a worker whose service the buyer can hire.</summary>
    public static async Task<Hiring> HiringPair(this ActorsStack stack, long buyerFunds = 0, string? workerReferralCode = null,
        params (string Name, long PriceCents)[] tiers)
    {
        var buyer = await stack.RegisterAgent(name: Unique.Name("buyer"));
        var worker = await stack.RegisterAgent(name: Unique.Name("worker"), referralCode: workerReferralCode);
        var serviceId = await stack.ListService(worker.ApiKey, tiers);
        if (buyerFunds > 0) await stack.FundWallet(buyer.ApiKey, buyerFunds);
        return new Hiring(buyer, worker, serviceId);
    }

    public static async Task<HttpResponseMessage> PostJob(this ActorsStack stack, string apiKey, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/jobs") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PostHire(this ActorsStack stack, string apiKey, object body, string? idempotencyKey = null)
    {
        using var agent = stack.AsAgent(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/hire") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await agent.SendAsync(request);
    }

    /// <summary>POST /api/jobs that must succeed; the job's id.</summary>
    public static async Task<string> Hire(this ActorsStack stack, Hiring pair, string tier = "Standard", string input = "Review my PR at github.com/myrepo/pull/42")
    {
        var response = await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = tier, input });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("job").GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> Act(this ActorsStack stack, string apiKey, string jobId, object body)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsJsonAsync($"/market/api/jobs/{jobId}", body);
    }

    /// <summary>A PATCH that must succeed; the job it answers.</summary>
    public static async Task<JsonElement> Step(this ActorsStack stack, string apiKey, string jobId, object body)
    {
        var response = await stack.Act(apiKey, jobId, body);
        var answer = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer.GetProperty("job");
    }

    /// <summary>accept, start and deliver as the worker: the job ends DELIVERED.</summary>
    public static async Task Deliver(this ActorsStack stack, Hiring pair, string jobId, string output = "Here is the completed work")
    {
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "start" });
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "deliver", output });
    }

    public static async Task<JsonElement> GetJob(this ActorsStack stack, string apiKey, string jobId)
    {
        using var agent = stack.AsAgent(apiKey);
        var response = await agent.GetAsync($"/market/api/jobs/{jobId}");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("job");
    }

    /// <summary>Pays a deposit checkout on the sandbox provider's page, as the human at the browser would.</summary>
    public static async Task PayCheckout(this ActorsStack stack, string checkoutUrl)
    {
        var path = new Uri(new Uri(stack.ApiUrl, "/"), checkoutUrl).PathAndQuery;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("pay", "1")]) };
        request.Headers.Add("Origin", stack.ApiUrl.GetLeftPart(UriPartial.Authority));
        var response = await stack.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpResponseMessage> Resolve(this ActorsStack stack, string jobId, object body)
    {
        using var admin = stack.AsAgent(ActorsStack.AdminToken);
        return await admin.PostAsJsonAsync($"/admin/api/market/jobs/{jobId}/resolve", body);
    }
}

public sealed record Hiring(RegisteredAgent Buyer, RegisteredAgent Worker, string ServiceId);
