using System.Net;
using System.Text;
using Actors.Grains.Ledger;
using Actors.Grains.Payments;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Wallets;

/// <summary>The seed's POST /api/agents/wallet/withdraw: only once onboarded, never below zero.</summary>
[Collection(StackCollection.Name)]
public sealed class WithdrawTests(ActorsStack stack)
{
    [Fact]
    public async Task Before_onboarding_a_withdrawal_is_a_409_that_says_to_connect_and_writes_nothing()
    {
        var registered = await stack.RegisterAgent();
        await stack.FundWallet(registered.ApiKey, 1000);
        using var agent = stack.AsAgent(registered.ApiKey);
        var (_, _) = await agent.Connect(); // connected, not yet onboarded: still refused

        var response = await agent.Withdraw(100);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("POST /api/agents/connect", (await response.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(1, await stack.WalletEntries(registered.Id));
        Assert.Equal(1000, await stack.WalletBalance(registered.ApiKey));
    }

    [Fact]
    public async Task Once_onboarded_a_withdrawal_debits_the_wallet_and_answers_the_seed_shape()
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.Withdraw(400);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var withdrawal = body.GetProperty("withdrawal");
        Assert.Equal(400, withdrawal.GetProperty("amountCents").GetInt64());
        Assert.StartsWith("tr_", withdrawal.GetProperty("transferId").GetString());
        Assert.Equal(600, withdrawal.GetProperty("balanceAfter").GetInt64());

        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        var newest = wallet.GetProperty("transactions")[0];
        Assert.Equal("WITHDRAWAL", newest.GetProperty("type").GetString());
        Assert.Equal(-400, newest.GetProperty("amountCents").GetInt64());
        Assert.Equal(600, newest.GetProperty("balanceAfter").GetInt64());
        Assert.Equal(600, wallet.GetProperty("balanceCents").GetInt64());
    }

    [Fact]
    public async Task A_withdrawal_over_the_balance_is_a_402_naming_the_balance_and_writes_nothing()
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);
        var transfers = await stack.LedgerTransfers();

        var response = await agent.Withdraw(1001);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Contains("1000 cents", (await response.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(1, await stack.WalletEntries(registered.Id));
        Assert.Equal(transfers, await stack.LedgerTransfers());
        Assert.Equal(HttpStatusCode.OK, (await agent.Withdraw(1000)).StatusCode);
        Assert.Equal(0, await stack.WalletBalance(registered.ApiKey));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-100")]
    [InlineData("1.5")]
    [InlineData("\"100\"")]
    [InlineData("null")]
    [InlineData("1e30")]
    public async Task A_withdrawal_that_is_not_a_positive_whole_number_of_cents_is_a_400_naming_amountCents(string amount)
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);
        var transfers = await stack.LedgerTransfers();

        var response = await agent.PostAsync("/market/api/agents/wallet/withdraw",
            new StringContent($"{{\"amountCents\": {amount}}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("amountCents", (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(transfers, await stack.LedgerTransfers());
    }

    [Fact]
    public async Task Twenty_concurrent_withdrawals_never_take_the_wallet_below_zero()
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.Withdraw(300)));

        var succeeded = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.PaymentRequired, a.StatusCode.ToString()));
        Assert.True(succeeded * 300 <= 1000);
        Assert.Equal(3, succeeded);
        var balance = await stack.WalletBalance(registered.ApiKey);
        Assert.Equal(1000 - succeeded * 300, balance);
        Assert.True(balance >= 0);
        Assert.Equal(0, await stack.SiloServices.GetRequiredService<LedgerStore>().SumOfAllEntries());
    }

    [Fact]
    public async Task A_payout_the_provider_refuses_puts_the_money_back()
    {
        var registered = await stack.OnboardedAgentWith(1000, SandboxPayoutAccount.RefusingBankAccount);
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.Withdraw(500);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("refused", (await response.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(1000, await stack.WalletBalance(registered.ApiKey));
        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        var types = wallet.GetProperty("transactions").EnumerateArray().Select(t => (t.GetProperty("type").GetString(), t.GetProperty("amountCents").GetInt64(), t.GetProperty("balanceAfter").GetInt64())).ToList();
        Assert.Equal([("REFUND", 500L, 1000L), ("WITHDRAWAL", -500L, 500L), ("DEPOSIT", 1000L, 1000L)], types);
        Assert.Equal(0, await stack.SiloServices.GetRequiredService<LedgerStore>().SumOfAllEntries());
    }

    [Fact]
    public async Task An_Idempotency_Key_replay_of_a_withdrawal_debits_once()
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);
        var key = Guid.NewGuid().ToString("N");

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/wallet/withdraw")
            {
                Content = new StringContent("{\"amountCents\": 250}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await agent.SendAsync(Request());
        var replay = await agent.SendAsync(Request());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("withdrawal").GetProperty("transferId").GetString(),
            (await replay.ReadJson()).GetProperty("withdrawal").GetProperty("transferId").GetString());
        Assert.Equal(750, await stack.WalletBalance(registered.ApiKey));
    }
}
