using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Wallets;

/// <summary>The seed's wallet and direct deposit: GET /api/agents/wallet, POST /api/agents/wallet/deposit.</summary>
[Collection(StackCollection.Name)]
public sealed class DepositTests(ActorsStack stack)
{
    [Fact]
    public async Task A_deposit_credits_the_wallet_and_answers_the_seed_shape()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 5000 });

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var deposit = body.GetProperty("deposit");
        Assert.StartsWith("tx_", deposit.GetProperty("transactionId").GetString());
        Assert.Equal(5000, deposit.GetProperty("amountCents").GetInt64());
        Assert.Equal(5000, deposit.GetProperty("balanceAfter").GetInt64());
        Assert.Equal(registered.Id, deposit.GetProperty("agentId").GetString());
        Assert.Equal(registered.Name, deposit.GetProperty("agentName").GetString());

        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        Assert.Equal(5000, wallet.GetProperty("balanceCents").GetInt64());
        Assert.Equal(registered.Id, wallet.GetProperty("agentId").GetString());
        Assert.Equal(registered.Name, wallet.GetProperty("agentName").GetString());
        var only = Assert.Single(wallet.GetProperty("transactions").EnumerateArray());
        Assert.Equal(deposit.GetProperty("transactionId").GetString(), only.GetProperty("id").GetString());
        Assert.Equal("DEPOSIT", only.GetProperty("type").GetString());
        Assert.Equal(5000, only.GetProperty("amountCents").GetInt64());
        Assert.Equal(5000, only.GetProperty("balanceAfter").GetInt64());
        Assert.Equal(0, await stack.SiloServices.GetRequiredService<LedgerStore>().SumOfAllEntries());
    }

    [Fact]
    public async Task A_new_agent_has_an_empty_wallet()
    {
        var registered = await stack.RegisterAgent();

        using var agent = stack.AsAgent(registered.ApiKey);
        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();

        Assert.Equal(0, wallet.GetProperty("balanceCents").GetInt64());
        Assert.Empty(wallet.GetProperty("transactions").EnumerateArray());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000001")]
    [InlineData("50.5")]
    [InlineData("\"5000\"")]
    [InlineData("null")]
    [InlineData("99999999999999999999999")]
    [InlineData("true")]
    public async Task A_deposit_outside_1_to_1000000_whole_cents_is_a_400_naming_amountCents_and_writes_nothing(string amount)
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var transfers = await stack.LedgerTransfers();

        var response = await agent.PostAsync("/market/api/agents/wallet/deposit",
            new StringContent($"{{\"amountCents\": {amount}}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("amountCents", (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(0, await stack.WalletEntries(registered.Id));
        Assert.Equal(transfers, await stack.LedgerTransfers());
    }

    [Fact]
    public async Task A_missing_amount_is_a_400_and_the_largest_deposit_is_accepted()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var missing = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("amountCents", (await missing.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(0, await stack.WalletEntries(registered.Id));

        Assert.Equal(1_000_000, await stack.FundWallet(registered.ApiKey, 1_000_000));
        Assert.Equal(1_000_001, await stack.FundWallet(registered.ApiKey, 1));
        Assert.Equal(1_000_001, await stack.WalletBalance(registered.ApiKey));
    }

    [Fact]
    public async Task The_operator_deposits_to_any_agent_by_agentId()
    {
        var registered = await stack.RegisterAgent();
        using var operatorClient = Operator();

        var response = await operatorClient.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 2500, agentId = registered.Id });

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(registered.Id, body.GetProperty("deposit").GetProperty("agentId").GetString());
        Assert.Equal(2500, await stack.WalletBalance(registered.ApiKey));
    }

    [Fact]
    public async Task The_operator_must_name_a_known_agent_and_writes_nothing_otherwise()
    {
        using var operatorClient = Operator();
        var transfers = await stack.LedgerTransfers();
        var states = await stack.GrainStates();

        var unknown = await operatorClient.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 2500, agentId = "agt_nobody" });
        var unnamed = await operatorClient.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 2500 });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Equal("agentId", (await unnamed.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(0, await stack.WalletEntries("agt_nobody"));
        Assert.Equal(transfers, await stack.LedgerTransfers());
        Assert.Equal(states, await stack.GrainStates());
    }

    [Fact]
    public async Task An_agent_cannot_deposit_to_another_agents_wallet()
    {
        var payer = await stack.RegisterAgent();
        var other = await stack.RegisterAgent();
        using var agent = stack.AsAgent(payer.ApiKey);

        var response = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 2500, agentId = other.Id });
        var own = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 100, agentId = payer.Id });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await stack.WalletEntries(other.Id));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(100, await stack.WalletBalance(payer.ApiKey));
    }

    [Fact]
    public async Task Without_a_valid_key_or_operator_token_a_deposit_is_a_401()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        using var wrong = stack.AsAgent("toku_agent_nope");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/market/api/agents/wallet")).StatusCode);
    }

    [Fact]
    public async Task An_Idempotency_Key_replay_of_a_deposit_credits_once()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var key = Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/wallet/deposit") { Content = JsonContent.Create(new { amountCents = 700 }) };
            request.Headers.Add("Idempotency-Key", key);
            return await agent.SendAsync(request);
        }));
        using var again = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/wallet/deposit") { Content = JsonContent.Create(new { amountCents = 700 }) };
        again.Headers.Add("Idempotency-Key", key);
        var replay = await agent.SendAsync(again);

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(700, await stack.WalletBalance(registered.ApiKey));
        Assert.Equal(1, await stack.WalletEntries(registered.Id));
    }

    HttpClient Operator()
    {
        var client = new HttpClient { BaseAddress = stack.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ActorsStack.AdminToken);
        return client;
    }
}
