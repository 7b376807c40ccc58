using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>
/// The seed's POST /api/agents/wallet/deposit/checkout and the sandbox provider's checkout page:
/// no session needed (the URL is the capability), GET changes nothing, a same-origin POST pays,
/// and the wallet is credited exactly once however often the payment is reported.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DepositCheckoutTests(ActorsStack stack)
{
    [Fact]
    public async Task A_checkout_answers_the_seed_shape_and_its_page_credits_the_wallet_once_paid()
    {
        var registered = await stack.RegisterAgent();
        var (url, sessionId) = await OpenCheckout(registered, 5000);
        using var browser = Page();

        var page = await browser.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"pay\"", html);
        Assert.Contains("$50.00", html);
        Assert.Equal(0, await stack.WalletBalance(registered.ApiKey)); // opening the page changes nothing

        var paid = await Pay(browser, url, stack.ApiUrl.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Contains("Paid.", await paid.Content.ReadAsStringAsync());
        Assert.Equal(5000, await stack.WalletBalance(registered.ApiKey));

        using var agent = stack.AsAgent(registered.ApiKey);
        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        var entry = Assert.Single(wallet.GetProperty("transactions").EnumerateArray());
        Assert.Equal("DEPOSIT", entry.GetProperty("type").GetString());

        // Paid again (the provider reporting twice): still one credit, and the page says it is paid.
        Assert.Equal(HttpStatusCode.OK, (await Pay(browser, url, null)).StatusCode);
        Assert.Equal(5000, await stack.WalletBalance(registered.ApiKey));
        Assert.DoesNotContain("id=\"pay\"", await (await browser.GetAsync(url)).Content.ReadAsStringAsync());
        Assert.StartsWith("cs_", sessionId);
    }

    [Fact]
    public async Task Ten_concurrent_payments_of_one_checkout_credit_the_wallet_once()
    {
        var registered = await stack.RegisterAgent();
        var (url, _) = await OpenCheckout(registered, 1234);
        using var browser = Page();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Pay(browser, url, null)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1234, await stack.WalletBalance(registered.ApiKey));
        Assert.Equal(1, await stack.WalletEntries(registered.Id));
    }

    [Fact]
    public async Task A_payment_posted_from_another_origin_is_refused_and_credits_nothing()
    {
        var registered = await stack.RegisterAgent();
        var (url, _) = await OpenCheckout(registered, 900);
        using var browser = Page();

        var forged = await Pay(browser, url, "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, await stack.WalletEntries(registered.Id));
        Assert.Contains("id=\"pay\"", await (await browser.GetAsync(url)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_checkout_cannot_be_paid()
    {
        var registered = await stack.RegisterAgent();
        var (url, _) = await OpenCheckout(registered, 800);
        using var browser = Page();
        stack.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        var page = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
        var paid = await Pay(browser, url, null);

        Assert.Contains("expired", page);
        Assert.DoesNotContain("id=\"pay\"", page);
        Assert.Equal(HttpStatusCode.Gone, paid.StatusCode);
        Assert.Contains("expired", await paid.Content.ReadAsStringAsync());
        Assert.Equal(0, await stack.WalletEntries(registered.Id));
    }

    [Fact]
    public async Task Checkout_amounts_follow_the_deposit_limits_and_unknown_checkouts_are_not_found()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var states = await stack.GrainStates();

        var tooMuch = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit/checkout", new { amountCents = 1_000_001 });
        var none = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit/checkout", new { amountCents = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal("amountCents", (await tooMuch.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(states, await stack.GrainStates());

        using var browser = Page();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/pay/sandbox/cs_unknown123")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Pay(browser, "/pay/sandbox/cs_unknown123", null)).StatusCode);
        Assert.Equal(states, await stack.GrainStates());
    }

    async Task<(string Url, string SessionId)> OpenCheckout(RegisteredAgent registered, long cents)
    {
        using var agent = stack.AsAgent(registered.ApiKey);
        var response = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit/checkout", new { amountCents = cents });
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cents, body.GetProperty("amountCents").GetInt64());
        var url = body.GetProperty("checkoutUrl").GetString()!;
        var sessionId = body.GetProperty("sessionId").GetString()!;
        Assert.Equal($"{stack.ApiUrl}pay/sandbox/{sessionId}", url);
        return (url, sessionId);
    }

    /// <summary>A browser without any session: the checkout page needs none.</summary>
    HttpClient Page() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.ApiUrl };

    static async Task<HttpResponseMessage> Pay(HttpClient browser, string url, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([]) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await browser.SendAsync(request);
    }
}
