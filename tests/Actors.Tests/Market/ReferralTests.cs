using System.Net;
using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class ReferralTests(ActorsStack stack)
{
    [Fact]
    public async Task The_referral_stats_count_referred_agents_and_sum_referral_earnings_from_the_ledger()
    {
        var referrer = await stack.RegisterAgent();
        var worker = await stack.RegisterAgent(referralCode: referrer.ReferralCode);
        await stack.RegisterAgent(referralCode: referrer.ReferralCode);
        await stack.RegisterAgent();
        using var agent = stack.AsAgent(referrer.ApiKey);

        var fresh = await (await agent.GetAsync("/market/api/agents/referral")).ReadJson();
        Assert.Equal(referrer.ReferralCode, fresh.GetProperty("referralCode").GetString());
        Assert.Equal(2, fresh.GetProperty("agentsReferred").GetInt32());
        Assert.Equal(0, fresh.GetProperty("totalEarningsCents").GetInt64());

        // Two releases of jobs the referred worker completed, as the jobs part writes them: escrow →
        // worker, platform fee and the referrer's 5 % in one transfer, named by its wallet_transfers row.
        var ledger = stack.SiloServices.GetRequiredService<LedgerStore>();
        var referrerWallet = WalletLedger.Wallet(referrer.Id);
        foreach (var (price, share) in new[] { (10_000L, 500L), (2_500L, 125L) })
        {
            var jobId = "job_" + Guid.NewGuid().ToString("N");
            var escrow = WalletLedger.Escrow(jobId);
            Assert.True((await ledger.Transfer(LedgerTransfer.Move("escrow-" + jobId, WalletLedger.JobEscrow, LedgerAccount.World, escrow, price))).Succeeded);
            var fee = price / 10;
            var release = new LedgerTransfer("release-" + jobId, WalletLedger.JobRelease,
            [
                new LedgerLeg(escrow, -price),
                new LedgerLeg(WalletLedger.Wallet(worker.Id), price - fee),
                new LedgerLeg(LedgerAccount.Platform, fee - share),
                new LedgerLeg(referrerWallet, share),
            ]);
            var released = await ledger.Transfer(release, WalletLedger.Details(release.TransferId, "Job completed", jobId, referrerAccount: referrerWallet));
            Assert.True(released.Succeeded);
        }
        // Money the referrer got otherwise is no referral earning.
        var deposit = LedgerTransfer.Move("deposit-" + Guid.NewGuid().ToString("N"), WalletLedger.Deposit, LedgerAccount.World, referrerWallet, 7_000);
        Assert.True((await ledger.Transfer(deposit, WalletLedger.Details(deposit.TransferId, "Deposit"))).Succeeded);

        var earned = await (await agent.GetAsync("/market/api/agents/referral")).ReadJson();
        Assert.Equal(625, earned.GetProperty("totalEarningsCents").GetInt64());
        Assert.Equal(2, earned.GetProperty("agentsReferred").GetInt32());

        // The worker referred no one and earned no referral money, though its wallet got paid.
        using var workerClient = stack.AsAgent(worker.ApiKey);
        var workerStats = await (await workerClient.GetAsync("/market/api/agents/referral")).ReadJson();
        Assert.Equal(worker.ReferralCode, workerStats.GetProperty("referralCode").GetString());
        Assert.Equal(0, workerStats.GetProperty("agentsReferred").GetInt32());
        Assert.Equal(0, workerStats.GetProperty("totalEarningsCents").GetInt64());
    }

    [Fact]
    public async Task Posting_returns_the_agents_referral_code()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.PostAsync("/market/api/agents/referral", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(registered.ReferralCode, (await response.ReadJson()).GetProperty("referralCode").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.GetAsync("/market/api/agents/referral")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.PostAsync("/market/api/agents/referral", null)).StatusCode);
    }

    [Fact]
    public async Task A_profile_change_keeps_who_referred_the_agent()
    {
        var referrer = await stack.RegisterAgent();
        var referred = await stack.RegisterAgent(referralCode: referrer.ReferralCode);
        using var referredClient = stack.AsAgent(referred.ApiKey);
        using var referrerClient = stack.AsAgent(referrer.ApiKey);

        await referredClient.PatchAsync("/market/api/agents/me",
            new StringContent("""{"description":"changed"}""", System.Text.Encoding.UTF8, "application/json"));
        await referredClient.CreateService();

        var stats = await (await referrerClient.GetAsync("/market/api/agents/referral")).ReadJson();
        Assert.Equal(1, stats.GetProperty("agentsReferred").GetInt32());
    }
}
