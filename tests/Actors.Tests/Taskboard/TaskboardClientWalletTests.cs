using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Grains.Platform;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The client's wallet (<c>GET /taskboard/api/client/wallet</c>, the deposit checkout): a signed-in
/// human's own wallet (<c>wallet:usr_…</c> on the ledger), funded through the sandbox checkout,
/// credited once however often the checkout is paid; the session rules refuse anyone else.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardClientWalletTests(ActorsStack stack)
{
    const string Wallet = "/taskboard/api/client/wallet";
    const string Checkout = "/taskboard/api/client/wallet/deposit/checkout";

    [Fact]
    public async Task A_new_clients_wallet_is_empty_and_named_by_their_user_id()
    {
        using var client = await stack.SignUpClient();

        var response = await client.Http.GetAsync(Wallet);
        var wallet = (await response.ReadJson()).GetProperty("wallet");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("usr_", client.UserId);
        Assert.Equal(client.UserId, wallet.GetProperty("userId").GetString());
        Assert.Equal(0, wallet.GetProperty("balanceCents").GetInt64());
        Assert.Equal(0m, wallet.GetProperty("balance").GetProperty("amount").GetDecimal());
        Assert.Equal("USDC", wallet.GetProperty("balance").GetProperty("token").GetString());
        Assert.Empty(wallet.GetProperty("transactions").EnumerateArray());
    }

    [Fact]
    public async Task A_paid_checkout_credits_the_clients_wallet_once()
    {
        using var client = await stack.SignUpClient();

        var opened = await client.Http.PostAsJsonAsync(Checkout, new { amount = 12.5m });
        var checkout = (await opened.ReadJson()).GetProperty("checkout");
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.StartsWith("cs_", checkout.GetProperty("id").GetString());
        Assert.Equal(12.5m, checkout.GetProperty("amount").GetProperty("amount").GetDecimal());
        Assert.Equal("USDC", checkout.GetProperty("amount").GetProperty("token").GetString());
        Assert.Equal("OPEN", checkout.GetProperty("status").GetString());
        var url = new Uri(checkout.GetProperty("url").GetString()!).PathAndQuery;
        Assert.StartsWith("/pay/sandbox/cs_", url);
        Assert.Equal(0, await client.ClientBalance()); // opened, not paid

        using var browser = stack.SignedOut();
        var first = await browser.PostForm(url, origin: Own);
        var again = await browser.PostForm(url, origin: Own);
        var html = await first.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("added to your wallet", html);
        Assert.DoesNotContain("agent's wallet", html);
        Assert.Contains("href=\"/taskboard/client\"", html);
        Assert.Equal(1250, await client.ClientBalance());
        Assert.Equal(1, await stack.ClientWalletEntries(client.UserId));
        var wallet = (await (await client.Http.GetAsync(Wallet)).ReadJson()).GetProperty("wallet");
        Assert.Equal(12.5m, wallet.GetProperty("balance").GetProperty("amount").GetDecimal());
        var entry = Assert.Single(wallet.GetProperty("transactions").EnumerateArray());
        Assert.Equal("DEPOSIT", entry.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_retried_checkout_with_the_same_idempotency_key_is_the_same_checkout()
    {
        using var client = await stack.SignUpClient();

        var first = await OpenWithKey(client, "deposit-1");
        var retry = await OpenWithKey(client, "deposit-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await CheckoutId(first), await CheckoutId(retry));
    }

    [Theory]
    [InlineData("{\"amount\": 0}")]
    [InlineData("{\"amount\": -1}")]
    [InlineData("{\"amount\": 1.234}")]
    [InlineData("{\"amount\": 1000001}")]
    [InlineData("{}")]
    public async Task A_checkout_amount_that_is_not_a_positive_USDC_amount_is_400_and_writes_nothing(string body)
    {
        using var client = await stack.SignUpClient();
        var before = await stack.WrittenFor(client.UserId);

        var response = await client.Http.PostAsync(Checkout, new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await response.ReadJson();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("amount", error.GetProperty("field").GetString());
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
    }

    [Fact]
    public async Task Without_a_session_the_wallet_is_401_in_the_taskboards_error_shape_even_with_an_agent_key()
    {
        var agent = await stack.RegisterAgent();
        using var anonymous = stack.SignedOut();
        using var withKey = stack.AsAgent(agent.ApiKey);
        var before = await stack.TaskboardWrites();

        var answers = new[]
        {
            await anonymous.GetAsync(Wallet),
            await anonymous.PostAsJsonAsync(Checkout, new { amount = 10 }),
            await withKey.GetAsync(Wallet),
            await withKey.PostAsJsonAsync(Checkout, new { amount = 10 }),
        };

        foreach (var response in answers)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = await response.ReadJson();
            Assert.False(error.GetProperty("success").GetBoolean());
            Assert.Contains("Sign in", error.GetProperty("error").GetString());
        }
        Assert.Equal(before, await stack.TaskboardWrites());
        Assert.Equal(0, await stack.WalletBalance(agent.ApiKey));
    }

    [Fact]
    public async Task A_checkout_from_another_origin_is_403_and_a_form_is_415_and_neither_writes()
    {
        using var client = await stack.SignUpClient();
        var before = await stack.WrittenFor(client.UserId);

        // The session, but sent from another site's page (client.Http names our own origin, so a bare client).
        using var foreign = new HttpRequestMessage(HttpMethod.Post, Checkout) { Content = JsonContent.Create(new { amount = 10 }) };
        foreign.Headers.Add("Origin", "https://evil.example");
        using var bare = stack.SignedOut();
        bare.DefaultRequestHeaders.Add("Cookie", client.Cookie);
        var crossSite = await bare.SendAsync(foreign);
        var form = await client.Http.PostAsync(Checkout, new FormUrlEncodedContent(new Dictionary<string, string> { ["amount"] = "10" }));

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.False((await crossSite.ReadJson()).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        // The JSON binder refuses a form before the endpoint runs (shared problem details, the same "error").
        Assert.Contains("application/json", (await form.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal(0, await client.ClientBalance());
    }

    [Fact]
    public async Task A_clients_wallet_has_no_payouts_and_keeps_its_money()
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 30m);
        var before = await stack.WrittenFor(client.UserId);
        // No route reaches a usr_ wallet's payouts (the market's take the agent of the key): ask the grain itself.
        var wallet = stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IWalletGrain>(client.UserId);

        var connect = await wallet.Connect(null, null);
        var withdraw = await wallet.Withdraw(1000, null);

        Assert.Equal(ProblemKind.Conflict, connect.Problem?.Kind);
        Assert.Equal("Withdrawals are for agents' wallets", connect.Problem?.Message);
        Assert.Equal(ProblemKind.Conflict, withdraw.Problem?.Kind);
        Assert.Null((await wallet.GetPayoutStatus()).AccountId);
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal(3000, await client.ClientBalance());
    }

    string Own => stack.ApiUrl.GetLeftPart(UriPartial.Authority);

    static async Task<HttpResponseMessage> OpenWithKey(TaskboardHuman client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Checkout) { Content = JsonContent.Create(new { amount = 5 }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.Http.SendAsync(request);
    }

    static async Task<string> CheckoutId(HttpResponseMessage response) =>
        (await response.ReadJson()).GetProperty("checkout").GetProperty("id").GetString()!;
}
