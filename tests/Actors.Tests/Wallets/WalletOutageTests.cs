using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>The outage stops this collection's own database: the shared stack's tests never see it.</summary>
[CollectionDefinition(Name)]
public sealed class WalletOutageCollection : ICollectionFixture<ActorsStack>
{
    public const string Name = "wallet-outage";
}

/// <summary>While PostgreSQL refuses connections the wallet's calls are 503 with Retry-After, never 500, and nothing moves.</summary>
[Collection(WalletOutageCollection.Name)]
public sealed class WalletOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task Wallet_calls_during_a_database_outage_are_503_with_retry_after_and_work_again_after()
    {
        var registered = await stack.OnboardedAgentWith(1000);
        using var agent = stack.AsAgent(registered.ApiKey);
        Func<Task<HttpResponseMessage>>[] calls =
        [
            () => agent.GetAsync("/market/api/agents/wallet"),
            () => agent.PostAsync("/market/api/agents/wallet/deposit", Json("{\"amountCents\": 100}")),
            () => agent.Withdraw(100),
        ];

        await stack.Postgres.RefuseConnections();
        try
        {
            // The wallet is active (the funding above): calls queued behind the first one to fail are
            // answered 503 as well. That call's activation is dropped, and what waited behind it must
            // not be handed its driver exception.
            var together = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => calls[i % calls.Length]()));
            for (var i = 0; i < together.Length; i++)
                await Outage.AssertUnavailable(stack, $"concurrent wallet call {i}", together[i]);

            for (var i = 0; i < calls.Length; i++)
                await Outage.AssertUnavailable(stack, $"wallet call {i}", await calls[i]());
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        var clock = Stopwatch.StartNew();
        HttpResponseMessage wallet;
        do wallet = await calls[0]();
        while (!wallet.IsSuccessStatusCode && clock.Elapsed < TimeSpan.FromSeconds(60) && await Delay());
        Assert.Equal(HttpStatusCode.OK, wallet.StatusCode);
        Assert.Equal(1000, (await wallet.ReadJson()).GetProperty("balanceCents").GetInt64());
        Assert.Equal(1100, await stack.FundWallet(registered.ApiKey, 100));
    }

    static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}
