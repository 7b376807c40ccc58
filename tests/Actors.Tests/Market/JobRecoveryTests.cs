using System.Net;
using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Market;

/// <summary>
/// Money before state: a step whose transfer reached the ledger but whose state write was lost (a
/// crash in between) is finished when the job is next activated, and never paid twice.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class JobRecoveryTests(ActorsStack stack)
{
    [Fact]
    public async Task A_release_whose_state_was_lost_is_finished_on_the_next_activation()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        await stack.Deliver(pair, jobId);

        // What the job's completion writes first, alone: the transfer, as if the silo died right after it.
        var (release, details) = JobMoney.Payout(jobId, WalletLedger.JobRelease, 7_500, JobMoney.Release(7_500, 10, 5, referred: false),
            pair.Worker.Id, pair.Buyer.Id, null, "Job completed: Code Review & PR Feedback");
        Assert.Equal(TransferStatus.Applied, (await Ledger().Transfer(release, details)).Status);
        await stack.CollectActivations();

        var job = await stack.GetJob(pair.Buyer.ApiKey, jobId);

        Assert.Equal("COMPLETED", job.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "dispute" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete" })).StatusCode);
        Assert.Equal(6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        var listed = (await (await worker.GetAsync("/market/api/jobs?role=worker")).ReadJson()).GetProperty("jobs")[0];
        Assert.Equal("COMPLETED", listed.GetProperty("status").GetString());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task An_escrow_whose_state_was_lost_makes_the_job_paid_on_the_next_activation()
    {
        var pair = await stack.HiringPair();
        var hired = await (await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Pay later", tierName = "Basic" })).ReadJson();
        var jobId = hired.GetProperty("job").GetProperty("id").GetString()!;
        await stack.FundWallet(pair.Buyer.ApiKey, 2_500);

        var (escrow, details) = JobMoney.Escrow(jobId, pair.Buyer.Id, 2_500, "Hired");
        Assert.Equal(TransferStatus.Applied, (await Ledger().Transfer(escrow, details)).Status);
        await stack.CollectActivations();

        Assert.True((await stack.GetJob(pair.Worker.ApiKey, jobId)).GetProperty("paid").GetBoolean());
        Assert.Equal("ACCEPTED", (await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" })).GetProperty("status").GetString());
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(2_500, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        await stack.AssertLedgerHolds();
    }

    LedgerGroupCommit Ledger() => stack.SiloServices.GetRequiredService<LedgerGroupCommit>();

}
