using System.Net;
using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Wallets;

/// <summary>
/// GET /api/agents/wallet's transactions: the last 20, newest first, typed by the seed's names, signed,
/// each with the balance after it. Job money is written here straight to the ledger, as the jobs write it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WalletHistoryTests(ActorsStack stack)
{
    LedgerStore Ledger => stack.SiloServices.GetRequiredService<LedgerStore>();

    [Fact]
    public async Task Job_money_shows_as_payments_earnings_referral_earnings_and_refunds_with_balances_after()
    {
        var buyer = await stack.RegisterAgent();
        var worker = await stack.RegisterAgent();
        var referrer = await stack.RegisterAgent();
        await stack.FundWallet(buyer.ApiKey, 10_000);
        string B = WalletLedger.Wallet(buyer.Id), W = WalletLedger.Wallet(worker.Id), R = WalletLedger.Wallet(referrer.Id);

        // Job 1: escrowed, then released to the worker, the platform and the worker's referrer.
        var job1 = "job_" + Guid.NewGuid().ToString("N");
        await Move(LedgerTransfer.Move($"escrow:{job1}", WalletLedger.JobEscrow, B, WalletLedger.Escrow(job1), 5000), "Hired DataBot for data analysis", job1);
        await Move(new LedgerTransfer($"release:{job1}", WalletLedger.JobRelease,
            [new(WalletLedger.Escrow(job1), -5000), new(W, 4500), new(LedgerAccount.Platform, 250), new(R, 250)]),
            "Code Review & PR Feedback", job1, referrer: R);
        // Job 2: escrowed, then cancelled.
        var job2 = "job_" + Guid.NewGuid().ToString("N");
        await Move(LedgerTransfer.Move($"escrow:{job2}", WalletLedger.JobEscrow, B, WalletLedger.Escrow(job2), 1000), "Hired again", job2);
        await Move(LedgerTransfer.Move($"refund:{job2}", WalletLedger.JobRefund, WalletLedger.Escrow(job2), B, 1000), "Job cancelled", job2);
        // Job 3: disputed and split.
        var job3 = "job_" + Guid.NewGuid().ToString("N");
        await Move(LedgerTransfer.Move($"escrow:{job3}", WalletLedger.JobEscrow, B, WalletLedger.Escrow(job3), 2000), "Hired a third time", job3);
        await Move(new LedgerTransfer($"split:{job3}", WalletLedger.JobSplit,
            [new(WalletLedger.Escrow(job3), -2000), new(W, 1000), new(B, 800), new(LedgerAccount.Platform, 200)]),
            "Dispute resolved: split", job3, refund: B);

        Assert.Equal(
            [
                ("REFUND", 800L, 3800L, job3, "Dispute resolved: split"),
                ("JOB_PAYMENT", -2000L, 3000L, job3, "Hired a third time"),
                ("REFUND", 1000L, 5000L, job2, "Job cancelled"),
                ("JOB_PAYMENT", -1000L, 4000L, job2, "Hired again"),
                ("JOB_PAYMENT", -5000L, 5000L, job1, "Hired DataBot for data analysis"),
                ("DEPOSIT", 10_000L, 10_000L, null, "Wallet deposit"),
            ],
            await History(buyer));
        Assert.Equal(
            [("JOB_EARNING", 1000L, 5500L, job3, "Dispute resolved: split"), ("JOB_EARNING", 4500L, 4500L, job1, "Code Review & PR Feedback")],
            await History(worker));
        Assert.Equal([("REFERRAL_EARNING", 250L, 250L, job1, "Code Review & PR Feedback")], await History(referrer));
        Assert.Equal(3800, await stack.WalletBalance(buyer.ApiKey));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
    }

    [Fact]
    public async Task The_wallet_shows_the_last_20_entries_newest_first()
    {
        var registered = await stack.RegisterAgent();
        for (var cents = 1; cents <= 22; cents++) await stack.FundWallet(registered.ApiKey, cents);

        var history = await History(registered);

        Assert.Equal(20, history.Count);
        Assert.Equal(Enumerable.Range(3, 20).Reverse().Select(c => (long)c), history.Select(h => h.Amount));
        Assert.Equal(Enumerable.Range(3, 20).Reverse().Select(c => (long)(c * (c + 1) / 2)), history.Select(h => h.BalanceAfter));
        Assert.Equal(253, await stack.WalletBalance(registered.ApiKey));
    }

    [Fact]
    public async Task Another_agent_never_reads_this_wallet()
    {
        var owner = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        await stack.FundWallet(owner.ApiKey, 4200);

        using var agent = stack.AsAgent(stranger.ApiKey);
        var response = await agent.GetAsync("/market/api/agents/wallet");
        var wallet = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stranger.Id, wallet.GetProperty("agentId").GetString());
        Assert.Equal(0, wallet.GetProperty("balanceCents").GetInt64());
        Assert.Empty(wallet.GetProperty("transactions").EnumerateArray());
        // The seed's wallet path has no id: a query or path naming another agent reaches nothing of theirs.
        var named = await agent.GetAsync($"/market/api/agents/wallet?agentId={owner.Id}");
        Assert.Equal(stranger.Id, (await named.ReadJson()).GetProperty("agentId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/market/api/agents/wallet/{owner.Id}")).StatusCode);
    }

    async Task Move(LedgerTransfer transfer, string description, string jobId, string? referrer = null, string? refund = null)
    {
        var result = await Ledger.Transfer(transfer, WalletLedger.Details(transfer.TransferId, description, jobId, referrer, refund));
        Assert.Equal(TransferStatus.Applied, result.Status);
    }

    async Task<List<(string? Type, long Amount, long BalanceAfter, string? JobId, string? Description)>> History(RegisteredAgent registered)
    {
        using var agent = stack.AsAgent(registered.ApiKey);
        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        return wallet.GetProperty("transactions").EnumerateArray().Select(t =>
        {
            Assert.StartsWith("tx_", t.GetProperty("id").GetString());
            Assert.True(t.TryGetProperty("createdAt", out _));
            return (t.GetProperty("type").GetString(), t.GetProperty("amountCents").GetInt64(), t.GetProperty("balanceAfter").GetInt64(),
                t.GetProperty("jobId").GetString(), t.GetProperty("description").GetString());
        }).ToList();
    }
}
