using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Webhooks;

/// <summary>Issue 14, Webhooks: registering, reading, removing, testing the webhook; PATCH /me is the same setting.</summary>
[Collection(StackCollection.Name)]
public sealed class WebhookSettingsTests(ActorsStack stack)
{
    async Task<(HttpClient Agent, string Id)> NewAgent()
    {
        var registered = await stack.RegisterAgent();
        return (stack.AsAgent(registered.ApiKey), registered.Id);
    }

    static async Task<JsonElement> Me(HttpClient agent) => (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");

    [Fact]
    public async Task Registering_answers_the_secret_once_and_get_shows_the_configuration_without_it()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, _) = await NewAgent();
        var response = await agent.PostAsJsonAsync(WebhookClient.Path, new { webhookUrl = receiver.Url.ToString() });
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(receiver.Url.ToString(), body.GetProperty("webhookUrl").GetString());
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);

        var get = await agent.GetAsync(WebhookClient.Path);
        var text = await get.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.DoesNotContain(secret["whsec_".Length..], text);
        var config = JsonDocument.Parse(text).RootElement;
        Assert.Equal(receiver.Url.ToString(), config.GetProperty("webhookUrl").GetString());
        Assert.True(config.GetProperty("enabled").GetBoolean());
        Assert.Contains("dm.received", config.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(receiver.Url.ToString(), (await Me(agent)).GetProperty("webhookUrl").GetString());
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    [InlineData("/relative/hook")]
    [InlineData("")]
    public async Task A_url_that_is_not_absolute_http_is_refused_naming_webhookUrl_and_nothing_is_kept(string url)
    {
        var (agent, id) = await NewAgent();
        var states = await stack.GrainStates();

        var response = await agent.PostAsJsonAsync(WebhookClient.Path, new { webhookUrl = url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhookUrl", (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(states, await stack.GrainStates());
        Assert.Equal(JsonValueKind.Null, (await agent.GetWebhook()).GetProperty("webhookUrl").ValueKind);
        Assert.Equal(0, await stack.WebhookEventsOf(id));
    }

    [Fact]
    public async Task Delete_removes_the_webhook_and_the_profile_follows()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);

        var deleted = await agent.DeleteAsync(WebhookClient.Path);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await agent.GetWebhook()).GetProperty("webhookUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await Me(agent)).GetProperty("webhookUrl").ValueKind);
        var setup = await (await agent.GetAsync("/market/api/agents/me/setup")).ReadJson();
        Assert.False(setup.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "webhook").GetProperty("done").GetBoolean());

        // Events of an agent without a webhook are settled, never sent.
        await stack.Raise(id);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (await stack.PendingWebhookEventsOf(id) > 0 && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.Equal(0, await stack.PendingWebhookEventsOf(id));
        await receiver.StaysAt(0, 500);

        var again = await agent.DeleteAsync(WebhookClient.Path);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task The_test_endpoint_sends_a_signed_webhook_test_and_answers_the_receivers_status_code()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);

        var ok = await agent.PostAsync(WebhookClient.Path + "/test", null);
        var body = await ok.ReadJson();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal(receiver.Url.ToString(), body.GetProperty("webhookUrl").GetString());
        Assert.Equal("✅ Webhook is working! Your server responded with 200", body.GetProperty("message").GetString());
        Assert.Equal("webhook.test", body.GetProperty("payloadSent").GetProperty("event").GetString());
        Assert.True(body.GetProperty("payloadSent").GetProperty("data").TryGetProperty("message", out _));
        var sent = Assert.Single(receiver.Received);
        Assert.Equal("webhook.test", sent.Event);
        Assert.Single(sent.VerifiedWith);

        receiver.Answers = (_, _) => new Answer(503);
        var failing = await (await agent.PostAsync(WebhookClient.Path + "/test", null)).ReadJson();
        Assert.False(failing.GetProperty("success").GetBoolean());
        Assert.Equal(503, failing.GetProperty("statusCode").GetInt32());

        var attempts = await agent.Deliveries();
        Assert.Equal([503, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.All(attempts, a => Assert.Equal("webhook.test", a.GetProperty("event").GetString()));
        Assert.Equal(2, await stack.WebhookEventsOf(id));
    }

    [Fact]
    public async Task Tests_are_limited_to_10_a_minute_per_agent_and_a_refused_one_sends_nothing()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync(WebhookClient.Path + "/test", null)).StatusCode);

        var refused = await agent.PostAsync(WebhookClient.Path + "/test", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(10, receiver.Received.Count);
        Assert.Equal(10, await stack.WebhookEventsOf(id));
    }

    [Fact]
    public async Task A_receiver_too_slow_for_the_test_gets_no_status_code_and_the_reason()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (_, _) => new Answer(200, Delay: TimeSpan.FromSeconds(4));
        var (agent, _) = await NewAgent();
        await agent.RegisterWebhook(receiver);

        var response = await agent.PostAsync(WebhookClient.Path + "/test", null);
        var body = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("statusCode").ValueKind);
        Assert.Contains("no answer within 2 s", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Testing_without_a_webhook_is_not_found_and_sends_nothing()
    {
        var (agent, id) = await NewAgent();
        var response = await agent.PostAsync(WebhookClient.Path + "/test", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var rotate = await agent.PostAsync(WebhookClient.Path + "/rotate-secret", null);
        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
        Assert.Equal(0, await stack.WebhookEventsOf(id));
        Assert.Equal(0, await stack.WebhookAttemptsOf(id));
    }

    [Fact]
    public async Task Patch_me_webhookUrl_is_the_same_setting_as_the_webhooks_endpoint()
    {
        await using var receiver = await WebhookReceiver.Start();
        await using var other = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();

        var patched = await agent.PatchAsJsonAsync("/market/api/agents/me", new { webhookUrl = receiver.Url.ToString() });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(receiver.Url.ToString(), (await agent.GetWebhook()).GetProperty("webhookUrl").GetString());

        // A URL set through the profile has a secret (never shown): rotating shows one, and deliveries are signed with it.
        var rotated = await (await agent.PostAsync(WebhookClient.Path + "/rotate-secret", null)).ReadJson();
        receiver.Trust(rotated.GetProperty("secret").GetString()!);
        await stack.Raise(id);
        Assert.NotEmpty((await receiver.WaitFor(1))[0].VerifiedWith);

        await agent.RegisterWebhook(other);
        Assert.Equal(other.Url.ToString(), await ProfileWebhookUrl(agent, other.Url.ToString()));

        var cleared = await agent.PatchAsJsonAsync("/market/api/agents/me", new { webhookUrl = "" });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await agent.GetWebhook()).GetProperty("webhookUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await Me(agent)).GetProperty("webhookUrl").ValueKind);
    }

    /// <summary>The profile's copy arrives one-way from the endpoint: read until it shows <paramref name="expected"/> (at most 5 s).</summary>
    async Task<string?> ProfileWebhookUrl(HttpClient agent, string expected)
    {
        string? url = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < deadline; await Task.Delay(50))
            if ((url = (await Me(agent)).GetProperty("webhookUrl").GetString()) == expected) break;
        return url;
    }

    [Fact]
    public async Task Registering_and_patching_the_webhook_at_once_never_stalls()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, _) = await NewAgent();
        for (var round = 0; round < 5; round++)
        {
            var started = DateTime.UtcNow;
            var both = await Task.WhenAll(
                agent.PostAsJsonAsync(WebhookClient.Path, new { webhookUrl = receiver.Url + "?register=" + round }),
                agent.PatchAsJsonAsync("/market/api/agents/me", new { webhookUrl = receiver.Url + "?patch=" + round }));
            Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), $"round {round} took {DateTime.UtcNow - started}");
        }
    }
}
