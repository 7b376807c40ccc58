using System.Net.Http.Json;
using System.Text.Json;
using Actors.Grains.Webhooks;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Webhooks;

/// <summary>Seed-shaped webhook calls, and events raised the way every domain raises them (the outbox).</summary>
public static class WebhookClient
{
    public const string Path = "/market/api/agents/me/webhooks";

    /// <summary>Registers <paramref name="receiver"/> as the agent's webhook and trusts the secret it was given.</summary>
    public static async Task<string> RegisterWebhook(this HttpClient agent, WebhookReceiver receiver)
    {
        var response = await agent.PostAsJsonAsync(Path, new { webhookUrl = receiver.Url.ToString() });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var secret = body.GetProperty("secret").GetString()!;
        receiver.Trust(secret);
        return secret;
    }

    public static async Task<JsonElement> GetWebhook(this HttpClient agent)
    {
        var response = await agent.GetAsync(Path);
        Assert.True(response.IsSuccessStatusCode);
        return await response.ReadJson();
    }

    public static async Task<JsonElement[]> Deliveries(this HttpClient agent)
    {
        var response = await agent.GetAsync(Path + "/deliveries");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return [.. body.GetProperty("deliveries").EnumerateArray()];
    }

    /// <summary>Writes an event for the agent through the outbox, as JobGrain and the DMs do; returns nothing (its id is the webhook-id).</summary>
    public static Task Raise(this ActorsStack stack, string agentId, string eventName = "job.created", string? jobId = null) =>
        stack.SiloServices.GetRequiredService<WebhookOutbox>().Append(
            [new WebhookEvent(agentId, eventName, new { id = jobId ?? "job_test", status = "REQUESTED", priceCents = 7500 }, jobId ?? "job_test")]);
}
