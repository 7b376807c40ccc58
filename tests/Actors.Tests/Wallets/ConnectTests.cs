using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Payments;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>The seed's POST/GET /api/agents/connect and the sandbox provider's onboarding page.</summary>
[Collection(StackCollection.Name)]
public sealed class ConnectTests(ActorsStack stack)
{
    [Fact]
    public async Task Connect_answers_an_onboarding_page_on_our_host_that_completes_onboarding_and_returns()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var before = await (await agent.GetAsync("/market/api/agents/connect")).ReadJson();
        Assert.False(before.GetProperty("connected").GetBoolean());
        Assert.False(before.GetProperty("onboarded").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("stripeAccountId").ValueKind);

        var response = await agent.PostAsJsonAsync("/market/api/agents/connect", new { returnUrl = "https://your-site.com/done", refreshUrl = "https://your-site.com/retry" });
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = body.GetProperty("onboardingUrl").GetString()!;
        var accountId = body.GetProperty("stripeAccountId").GetString()!;
        Assert.StartsWith("acct_", accountId);
        Assert.Equal($"{stack.ApiUrl}pay/sandbox/connect/{accountId}", url);
        Assert.Equal("Open this URL in a browser to connect your bank account for payouts.", body.GetProperty("message").GetString());

        var connected = await (await agent.GetAsync("/market/api/agents/connect")).ReadJson();
        Assert.True(connected.GetProperty("connected").GetBoolean());
        Assert.False(connected.GetProperty("onboarded").GetBoolean());
        Assert.False(connected.GetProperty("payoutsEnabled").GetBoolean());
        Assert.Equal(accountId, connected.GetProperty("stripeAccountId").GetString());

        // The page needs no session and changes nothing when opened.
        using var browser = new HttpClient { BaseAddress = stack.ApiUrl };
        var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"onboard\"", await page.Content.ReadAsStringAsync());
        Assert.False((await (await agent.GetAsync("/market/api/agents/connect")).ReadJson()).GetProperty("onboarded").GetBoolean());

        var forged = await stack.CompleteOnboarding(url, origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False((await (await agent.GetAsync("/market/api/agents/connect")).ReadJson()).GetProperty("onboarded").GetBoolean());

        var done = await stack.CompleteOnboarding(url);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("https://your-site.com/done", done.Headers.Location!.ToString());

        var status = await (await agent.GetAsync("/market/api/agents/connect")).ReadJson();
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.True(status.GetProperty("onboarded").GetBoolean());
        Assert.True(status.GetProperty("chargesEnabled").GetBoolean());
        Assert.True(status.GetProperty("payoutsEnabled").GetBoolean());
        Assert.Equal(accountId, status.GetProperty("stripeAccountId").GetString());

        // Connecting again keeps the same payout account.
        var (_, again) = await agent.Connect();
        Assert.Equal(accountId, again);
    }

    [Fact]
    public async Task Connect_without_a_body_works_and_onboarding_without_a_returnUrl_shows_a_page()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.PostAsync("/market/api/agents/connect", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await response.ReadJson()).GetProperty("onboardingUrl").GetString()!;

        var done = await stack.CompleteOnboarding(url);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Onboarding is complete", await done.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("returnUrl", "not a url")]
    [InlineData("returnUrl", "ftp://example.com/done")]
    [InlineData("refreshUrl", "/relative/retry")]
    [InlineData("refreshUrl", "javascript:alert(1)")]
    public async Task Connect_refuses_return_urls_that_are_not_absolute_http_urls_and_writes_nothing(string field, string value)
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var states = await stack.GrainStates();

        var response = await agent.PostAsJsonAsync("/market/api/agents/connect", new Dictionary<string, string> { [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(states, await stack.GrainStates());
        Assert.False((await (await agent.GetAsync("/market/api/agents/connect")).ReadJson()).GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_onboarding_page_is_not_found_and_a_bank_account_must_be_a_test_one()
    {
        using var browser = new HttpClient { BaseAddress = stack.ApiUrl };
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/pay/sandbox/connect/acct_unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.CompleteOnboarding("/pay/sandbox/connect/acct_unknown")).StatusCode);

        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var (url, _) = await agent.Connect();
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.CompleteOnboarding(url, bankAccount: "12345")).StatusCode);
        Assert.False((await (await agent.GetAsync("/market/api/agents/connect")).ReadJson()).GetProperty("onboarded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await stack.CompleteOnboarding(url, SandboxPayoutAccount.PayableBankAccount)).StatusCode);
    }
}
