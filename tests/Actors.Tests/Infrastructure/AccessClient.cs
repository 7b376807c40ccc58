using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls against the access surface and its admin API, so tests read like the document.</summary>
public static class AccessClient
{
    public const string Authorize = "/access/api/v1/agent/retrieve/authorize";
    public const string SubscriptionStatus = "/access/api/v1/agent/subscription/status";

    /// <summary>An HTTP client that acts as the operator (bearer ACTORS_ADMIN_TOKEN).</summary>
    public static HttpClient AsAdmin(this ActorsStack stack)
    {
        var client = new HttpClient { BaseAddress = stack.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ActorsStack.AdminToken);
        return client;
    }

    /// <summary>An organisation with a plan of <paramref name="monthlyLimit"/> credits and one agnt_ key.</summary>
    public static async Task<Subscriber> NewSubscriber(this ActorsStack stack, long monthlyLimit = 1000, string plan = "Professional")
    {
        using var admin = stack.AsAdmin();
        var name = Unique.Name("org");
        var org = await admin.PostAsJsonAsync("/admin/api/orgs", new { name, plan, monthlyLimit });
        var orgBody = await org.ReadJson();
        Assert.True(org.IsSuccessStatusCode, orgBody.ToString());
        var orgId = orgBody.GetProperty("id").GetString()!;
        var key = await admin.PostAsync($"/admin/api/orgs/{orgId}/keys", null);
        var keyBody = await key.ReadJson();
        Assert.True(key.IsSuccessStatusCode, keyBody.ToString());
        var apiKey = keyBody.GetProperty("apiKey").GetString()!;
        return new Subscriber(orgId, name, apiKey, stack.AsAgent(apiKey));
    }

    /// <summary>A fresh publisher domain with one article of the given tier.</summary>
    public static async Task<Article> NewArticle(this ActorsStack stack, int tier = 3, string? markdown = null, string? domain = null)
    {
        using var admin = stack.AsAdmin();
        domain ??= $"pub-{Guid.NewGuid():N}"[..16] + ".example";
        var publisher = await admin.PostAsJsonAsync("/admin/api/publishers", new { domain, name = "Publisher " + domain });
        Assert.True(publisher.IsSuccessStatusCode || publisher.StatusCode == System.Net.HttpStatusCode.Conflict, (await publisher.ReadJson()).ToString());
        var contentId = "article_" + Guid.NewGuid().ToString("N")[..8];
        var path = $"/article/{contentId}";
        var published = await admin.PostAsJsonAsync($"/admin/api/publishers/{domain}/content", new
        {
            contentId,
            path,
            title = "How to Build AI Agents",
            author = "Jane Doe",
            publishedAt = "2026-05-01T12:00:00Z",
            markdown = markdown ?? "# Full article content here\n\nAgents read, agents pay, publishers earn.",
            tags = new[] { "AI", "Agents", "Technology" },
            tier,
            license = new
            {
                summary = "Standard usage allowed",
                internal_analysis = true,
                summarisation = true,
                short_quotes = true,
                redistribution = false,
                model_training = false,
                cache_ttl_seconds = 86400,
            },
        });
        var body = await published.ReadJson();
        Assert.True(published.IsSuccessStatusCode, body.ToString());
        return new Article(domain, contentId, path, tier, body.GetProperty("url").GetString()!);
    }

    public static Task<HttpResponseMessage> AuthorizeRetrieval(this HttpClient agent, Article article, int? tier = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Authorize)
        {
            Content = JsonContent.Create(new { url = article.Url, content_id = article.ContentId, domain = article.Domain, tier = tier ?? article.Tier }),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return agent.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> FetchContent(this ActorsStack stack, string contentUrl, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, contentUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await stack.Http.SendAsync(request);
    }

    /// <summary>Moves the clock a minute into the next monthly period (UTC); returns that period's start.</summary>
    public static DateTimeOffset AdvanceIntoNextPeriod(this ActorsStack stack)
    {
        var now = stack.Clock.GetUtcNow();
        var nextPeriod = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        stack.Clock.Advance(nextPeriod - now + TimeSpan.FromMinutes(1));
        return nextPeriod;
    }

    public static async Task<long> RemainingCredits(this Subscriber subscriber)
    {
        var status = await subscriber.Http.GetAsync(SubscriptionStatus);
        var body = await status.ReadJson();
        Assert.True(status.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("remaining_credits").GetInt64();
    }
}

public sealed record Subscriber(string OrgId, string OrgName, string ApiKey, HttpClient Http);

/// <summary><see cref="Url"/> is the page as we serve it for the publisher: what an agent HEADs.</summary>
public sealed record Article(string Domain, string ContentId, string Path, int Tier, string Url);
