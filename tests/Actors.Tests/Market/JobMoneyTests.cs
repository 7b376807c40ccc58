using System.Net;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using static Actors.Tests.Market.HiringTests;

namespace Actors.Tests.Market;

/// <summary>A job's money on the ledger: escrow, release with fee and referral, refund, disputes, and the clock's steps.</summary>
[Collection(StackCollection.Name)]
public sealed class JobMoneyTests(ActorsStack stack)
{
    [Fact]
    public async Task Completion_releases_the_escrow_to_the_worker_less_the_platform_fee()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        Assert.Equal(7_500, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        await stack.Deliver(pair, jobId);
        var platform = await stack.Balance(LedgerAccount.Platform);

        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete", rating = 5 });

        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(platform + 750, await stack.Balance(LedgerAccount.Platform));
        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        var earning = (await (await worker.GetAsync("/market/api/agents/wallet")).ReadJson()).GetProperty("transactions")[0];
        Assert.Equal("JOB_EARNING", earning.GetProperty("type").GetString());
        Assert.Equal(6_750, earning.GetProperty("amountCents").GetInt64());
        Assert.Equal(jobId, earning.GetProperty("jobId").GetString());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_referred_worker_s_referrer_earns_five_percent_of_the_price_out_of_the_fee()
    {
        var referrer = await stack.RegisterAgent(name: Unique.Name("referrer"));
        var pair = await stack.HiringPair(buyerFunds: 7_500, workerReferralCode: referrer.ReferralCode);
        var jobId = await stack.Hire(pair);
        await stack.Deliver(pair, jobId);
        var platform = await stack.Balance(LedgerAccount.Platform);

        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete" });

        Assert.Equal(6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(375, await stack.WalletBalance(referrer.ApiKey));
        Assert.Equal(platform + 375, await stack.Balance(LedgerAccount.Platform));
        using var agent = stack.AsAgent(referrer.ApiKey);
        var earning = (await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson()).GetProperty("transactions")[0];
        Assert.Equal("REFERRAL_EARNING", earning.GetProperty("type").GetString());
        Assert.Equal(375, earning.GetProperty("amountCents").GetInt64());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Cancelling_a_paid_job_before_delivery_refunds_the_buyer()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        var byBuyer = await stack.Hire(pair, tier: "Basic");
        var byWorker = await stack.Hire(pair, tier: "Standard");
        await stack.Step(pair.Worker.ApiKey, byWorker, new { action = "accept" });
        await stack.Step(pair.Worker.ApiKey, byWorker, new { action = "start" });
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));

        var cancelled = await stack.Step(pair.Buyer.ApiKey, byBuyer, new { action = "cancel" });
        await stack.Step(pair.Worker.ApiKey, byWorker, new { action = "cancel" });

        Assert.Equal("CANCELLED", cancelled.GetProperty("status").GetString());
        Assert.Equal(10_000, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(0, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(byBuyer)));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(byWorker)));
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        var refund = (await (await buyer.GetAsync("/market/api/agents/wallet")).ReadJson()).GetProperty("transactions")[0];
        Assert.Equal("REFUND", refund.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, byBuyer, new { action = "cancel" })).StatusCode);
        Assert.Equal(10_000, await stack.WalletBalance(pair.Buyer.ApiKey));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_dispute_freezes_the_escrow_until_the_operator_releases_it()
    {
        var (pair, jobId) = await Disputed();
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "cancel" })).StatusCode);
        stack.Clock.Advance(TimeSpan.FromDays(15)); // a disputed job does not complete itself
        Assert.Equal("DISPUTED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());
        Assert.Equal(7_500, await stack.Balance(LedgerAccount.EscrowHold(jobId)));

        var response = await stack.Resolve(jobId, new { outcome = "release" });

        var job = (await response.ReadJson()).GetProperty("job");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("COMPLETED", job.GetProperty("status").GetString());
        Assert.Equal("release", job.GetProperty("resolution").GetString());
        Assert.Equal(6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Resolve(jobId, new { outcome = "refund" })).StatusCode);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task The_operator_can_refund_a_disputed_job()
    {
        var (pair, jobId) = await Disputed();

        var job = (await (await stack.Resolve(jobId, new { outcome = "refund" })).ReadJson()).GetProperty("job");

        Assert.Equal("CANCELLED", job.GetProperty("status").GetString());
        Assert.Equal(7_500, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(0, await stack.WalletBalance(pair.Worker.ApiKey));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task The_operator_can_split_a_disputed_job_the_fee_taken_on_the_worker_s_part()
    {
        var (pair, jobId) = await Disputed();
        var platform = await stack.Balance(LedgerAccount.Platform);

        var job = (await (await stack.Resolve(jobId, new { outcome = "split", workerCents = 4_000 })).ReadJson()).GetProperty("job");

        Assert.Equal("COMPLETED", job.GetProperty("status").GetString());
        Assert.Equal("split", job.GetProperty("resolution").GetString());
        Assert.Equal(3_600, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(3_500, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(platform + 400, await stack.Balance(LedgerAccount.Platform));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Resolutions_are_refused_without_the_operator_token_with_bad_amounts_and_for_jobs_not_disputed()
    {
        var (pair, jobId) = await Disputed();
        var transfers = await stack.AllTransfers();

        using var agent = stack.AsAgent(pair.Buyer.ApiKey);
        var asAgent = await agent.PostAsync($"/admin/api/market/jobs/{jobId}/resolve", System.Net.Http.Json.JsonContent.Create(new { outcome = "refund" }));
        Assert.Equal(HttpStatusCode.Unauthorized, asAgent.StatusCode);
        await AssertRefused(await stack.Resolve(jobId, new { outcome = "split" }), HttpStatusCode.BadRequest, "workerCents");
        await AssertRefused(await stack.Resolve(jobId, new { outcome = "split", workerCents = 7_500 }), HttpStatusCode.BadRequest, "workerCents");
        await AssertRefused(await stack.Resolve(jobId, new { outcome = "split", workerCents = -1 }), HttpStatusCode.BadRequest, "workerCents");
        await AssertRefused(await stack.Resolve(jobId, new { outcome = "split", workerCents = 10.5 }), HttpStatusCode.BadRequest, "workerCents");
        await AssertRefused(await stack.Resolve(jobId, new { outcome = "keep" }), HttpStatusCode.BadRequest, "outcome");
        await AssertRefused(await stack.Resolve("job_doesnotexist", new { outcome = "refund" }), HttpStatusCode.NotFound, null);
        var other = await stack.Hire(await stack.HiringPair(buyerFunds: 2_500), tier: "Basic");
        await AssertRefused(await stack.Resolve(other, new { outcome = "refund" }), HttpStatusCode.Conflict, null);

        Assert.Equal(transfers + 2, await stack.AllTransfers()); // only the other hire's deposit and escrow
        Assert.Equal("DISPUTED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());
        Assert.Equal(7_500, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
    }

    [Fact]
    public async Task A_delivered_job_completes_itself_fourteen_days_after_delivery()
    {
        var pair = await stack.HiringPair(buyerFunds: 15_000);
        var read = await stack.Hire(pair);
        var listed = await stack.Hire(pair);
        await stack.Deliver(pair, read);
        await stack.Deliver(pair, listed);

        stack.Clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1));
        Assert.Equal("DELIVERED", (await stack.GetJob(pair.Buyer.ApiKey, read)).GetProperty("status").GetString());
        Assert.Equal(0, await stack.WalletBalance(pair.Worker.ApiKey));
        stack.Clock.Advance(TimeSpan.FromMinutes(2));

        var job = await stack.GetJob(pair.Buyer.ApiKey, read);
        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        var jobs = (await (await worker.GetAsync("/market/api/jobs?role=worker")).ReadJson()).GetProperty("jobs");

        Assert.Equal("COMPLETED", job.GetProperty("status").GetString());
        Assert.All(jobs.EnumerateArray(), j => Assert.Equal("COMPLETED", j.GetProperty("status").GetString()));
        Assert.Empty((await (await worker.GetAsync("/market/api/jobs?status=DELIVERED")).ReadJson()).GetProperty("jobs").EnumerateArray());
        Assert.Equal(2 * 6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, read, new { action = "dispute" })).StatusCode);
        Assert.Equal(2 * 6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task An_unpaid_job_is_cancelled_twenty_four_hours_after_it_was_requested()
    {
        var pair = await stack.HiringPair();
        var body = await (await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "No money yet" })).ReadJson();
        var jobId = body.GetProperty("job").GetProperty("id").GetString()!;

        stack.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal("REQUESTED", (await stack.GetJob(pair.Worker.ApiKey, jobId)).GetProperty("status").GetString());
        stack.Clock.Advance(TimeSpan.FromHours(1));

        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        var listed = (await (await worker.GetAsync("/market/api/jobs")).ReadJson()).GetProperty("jobs")[0];
        Assert.Equal("CANCELLED", listed.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "accept" })).StatusCode);
        Assert.Equal(0, await stack.EntriesOf(LedgerAccount.EscrowHold(jobId)));
    }

    async Task<(Hiring Pair, string JobId)> Disputed()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        await stack.Deliver(pair, jobId);
        var disputed = await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "dispute" });
        Assert.Equal("DISPUTED", disputed.GetProperty("status").GetString());
        return (pair, jobId);
    }
}
