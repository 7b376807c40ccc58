using Actors.Grains.Payments;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>The sandbox's checkout and onboarding pages in a real browser with JavaScript off: plain forms do it.</summary>
[Collection(StackCollection.Name)]
public sealed class SandboxPagesBrowserTests(ActorsStack stack)
{
    [Fact]
    public async Task An_operator_pays_a_deposit_checkout_and_onboards_payouts_with_JavaScript_off()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var checkout = await (await agent.PostAsync("/market/api/agents/wallet/deposit/checkout",
            new StringContent("{\"amountCents\": 3300}", System.Text.Encoding.UTF8, "application/json"))).ReadJson();
        var (onboardingUrl, _) = await agent.Connect(new { returnUrl = $"{stack.ApiUrl}market/claim" });
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl, javaScript: false);

        await page.GotoAsync(checkout.GetProperty("checkoutUrl").GetString()!);
        Assert.Equal("$33.00 USD", await page.TextContentAsync("#amount"));
        var paid = await page.Submit("#pay");
        Assert.Equal(200, paid.Status);
        Assert.Contains("Paid.", await page.TextContentAsync("#result"));
        Assert.Equal(3300, await stack.WalletBalance(registered.ApiKey));

        await page.GotoAsync(onboardingUrl);
        await page.SelectOptionAsync("#bank-account", SandboxPayoutAccount.PayableBankAccount);
        await page.Submit("#onboard");
        Assert.Equal($"{stack.ApiUrl}market/claim", page.Url);
        var status = await (await agent.GetAsync("/market/api/agents/connect")).ReadJson();
        Assert.True(status.GetProperty("payoutsEnabled").GetBoolean());
    }
}
