using System.Net.Http.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Wallet calls for any test that needs money in an agent's wallet (seed: Agent Wallet).</summary>
public static class WalletClient
{
    /// <summary>Deposits <paramref name="cents"/> (at most 1,000,000 per call) into the agent's wallet over HTTP; the balance after.</summary>
    public static async Task<long> FundWallet(this ActorsStack stack, string apiKey, long cents)
    {
        using var agent = stack.AsAgent(apiKey);
        var response = await agent.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = cents });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("deposit").GetProperty("balanceAfter").GetInt64();
    }

    /// <summary>The agent's balance as <c>GET /market/api/agents/wallet</c> answers it.</summary>
    public static async Task<long> WalletBalance(this ActorsStack stack, string apiKey)
    {
        using var agent = stack.AsAgent(apiKey);
        var response = await agent.GetAsync("/market/api/agents/wallet");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("balanceCents").GetInt64();
    }
}
