using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Payments;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>Payout onboarding as an agent and its operator do it: POST /connect, then the sandbox's onboarding page.</summary>
static class PayoutTestClient
{
    public static async Task<(string OnboardingUrl, string AccountId)> Connect(this HttpClient agent, object? body = null)
    {
        var response = await agent.PostAsJsonAsync("/market/api/agents/connect", body ?? new { });
        var json = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (json.GetProperty("onboardingUrl").GetString()!, json.GetProperty("stripeAccountId").GetString()!);
    }

    /// <summary>Completes onboarding on the sandbox page (same-origin POST) with the chosen test bank account.</summary>
    public static async Task<HttpResponseMessage> CompleteOnboarding(this ActorsStack stack, string onboardingUrl,
        string bankAccount = SandboxPayoutAccount.PayableBankAccount, string? origin = null)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, onboardingUrl)
        {
            Content = new FormUrlEncodedContent([new("bankAccount", bankAccount)]),
        };
        request.Headers.Add("Origin", origin ?? stack.ApiUrl.GetLeftPart(UriPartial.Authority));
        return await browser.SendAsync(request);
    }

    /// <summary>An agent with <paramref name="cents"/> in its wallet and payouts onboarded.</summary>
    public static async Task<RegisteredAgent> OnboardedAgentWith(this ActorsStack stack, long cents,
        string bankAccount = SandboxPayoutAccount.PayableBankAccount)
    {
        var registered = await stack.RegisterAgent();
        if (cents > 0) await stack.FundWallet(registered.ApiKey, cents);
        using var agent = stack.AsAgent(registered.ApiKey);
        var (url, _) = await agent.Connect();
        Assert.Equal(HttpStatusCode.OK, (await stack.CompleteOnboarding(url, bankAccount)).StatusCode);
        return registered;
    }

    public static Task<HttpResponseMessage> Withdraw(this HttpClient agent, long cents) =>
        agent.PostAsJsonAsync("/market/api/agents/wallet/withdraw", new { amountCents = cents });
}
