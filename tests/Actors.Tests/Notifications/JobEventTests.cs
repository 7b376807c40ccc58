using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Notifications;

/// <summary>
/// Every job step writes, with the job's row, one webhook event (the seed's Webhook Payload) and
/// one inbox notification for each party that should hear of it; a step that fails writes neither.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class JobEventTests(ActorsStack stack)
{
    [Fact]
    public async Task Each_step_of_a_job_tells_the_party_that_should_hear_it_once()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var (buyer, worker) = (pair.Buyer.Id, pair.Worker.Id);
        var jobId = await stack.Hire(pair, input: "Please review my PR");
        Assert.Equal([$"job.created>{worker}"], await stack.WebhookEventsOfJob(jobId));

        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "start" });
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "deliver", output = "LGTM" });
        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete", rating = 5 });

        Assert.Equal(Sorted($"job.created>{worker}", $"job.accepted>{buyer}", $"job.delivered>{buyer}", $"job.completed>{worker}"),
            await stack.WebhookEventsOfJob(jobId));
        Assert.Equal(["job_completed", "job_created"], await stack.NotificationTypesOf(worker));
        Assert.Equal(["job_accepted", "job_delivered"], await stack.NotificationTypesOf(buyer));

        var created = await stack.WebhookBody(jobId, "job.created", worker);
        Assert.Equal("job.created", created.GetProperty("event").GetString());
        Assert.Equal(jobId, created.GetProperty("jobId").GetString());
        Assert.Equal(worker, created.GetProperty("agentId").GetString());
        Assert.True(DateTimeOffset.TryParse(created.GetProperty("timestamp").GetString(), out _));
        var data = created.GetProperty("data");
        Assert.Equal(jobId, data.GetProperty("id").GetString());
        Assert.Equal("REQUESTED", data.GetProperty("status").GetString());
        Assert.Equal("Please review my PR", data.GetProperty("input").GetString());
        Assert.Equal(7_500, data.GetProperty("priceCents").GetInt64());
        Assert.Equal(pair.ServiceId, data.GetProperty("serviceId").GetString());
        Assert.Equal(buyer, data.GetProperty("buyerId").GetString());
        var delivered = (await stack.WebhookBody(jobId, "job.delivered", buyer)).GetProperty("data");
        Assert.Equal("DELIVERED", delivered.GetProperty("status").GetString());
        Assert.Equal("LGTM", delivered.GetProperty("output").GetString());
        Assert.Equal("COMPLETED", (await stack.WebhookBody(jobId, "job.completed", worker)).GetProperty("data").GetProperty("status").GetString());

        var inbox = await stack.Inbox(pair.Buyer.ApiKey);
        var notices = inbox.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["job_delivered", "job_accepted"], notices.Select(n => n.GetProperty("type").GetString()));
        Assert.All(notices, n =>
        {
            Assert.Equal($"/jobs/{jobId}", n.GetProperty("link").GetString());
            Assert.Equal(jobId, n.GetProperty("data").GetProperty("jobId").GetString());
            Assert.Contains("Code Review", n.GetProperty("title").GetString());
            Assert.False(n.GetProperty("read").GetBoolean());
        });
        Assert.Equal("DELIVERED", notices[0].GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(2, inbox.GetProperty("unreadCount").GetInt64());
    }

    [Fact]
    public async Task A_cancellation_tells_the_other_party()
    {
        var pair = await stack.HiringPair(buyerFunds: 15_000);
        var byBuyer = await stack.Hire(pair);
        var byWorker = await stack.Hire(pair);

        await stack.Step(pair.Buyer.ApiKey, byBuyer, new { action = "cancel" });
        await stack.Step(pair.Worker.ApiKey, byWorker, new { action = "accept" });
        await stack.Step(pair.Worker.ApiKey, byWorker, new { action = "cancel" });

        Assert.Equal(Sorted($"job.cancelled>{pair.Worker.Id}", $"job.created>{pair.Worker.Id}"), await stack.WebhookEventsOfJob(byBuyer));
        Assert.Equal(Sorted($"job.accepted>{pair.Buyer.Id}", $"job.cancelled>{pair.Buyer.Id}", $"job.created>{pair.Worker.Id}"),
            await stack.WebhookEventsOfJob(byWorker));
        Assert.Equal("CANCELLED", (await stack.WebhookBody(byWorker, "job.cancelled", pair.Buyer.Id)).GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(["job_cancelled", "job_created", "job_created"], await stack.NotificationTypesOf(pair.Worker.Id));
    }

    [Fact]
    public async Task An_unpaid_job_cancelled_when_due_tells_both_and_an_auto_completion_tells_the_worker()
    {
        var unpaid = await stack.HiringPair();
        var unpaidJob = await stack.Hire(unpaid);
        var paid = await stack.HiringPair(buyerFunds: 7_500);
        var paidJob = await stack.Hire(paid);
        await stack.Deliver(paid, paidJob);

        stack.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal("CANCELLED", (await stack.GetJob(unpaid.Buyer.ApiKey, unpaidJob)).GetProperty("status").GetString());
        Assert.Equal("COMPLETED", (await stack.GetJob(paid.Buyer.ApiKey, paidJob)).GetProperty("status").GetString());
        await stack.GetJob(paid.Worker.ApiKey, paidJob);

        Assert.Equal(Sorted($"job.cancelled>{unpaid.Buyer.Id}", $"job.cancelled>{unpaid.Worker.Id}", $"job.created>{unpaid.Worker.Id}"),
            await stack.WebhookEventsOfJob(unpaidJob));
        Assert.Equal(Sorted($"job.accepted>{paid.Buyer.Id}", $"job.completed>{paid.Worker.Id}", $"job.created>{paid.Worker.Id}", $"job.delivered>{paid.Buyer.Id}"),
            await stack.WebhookEventsOfJob(paidJob));
    }

    [Fact]
    public async Task The_operator_s_resolution_tells_both_parties()
    {
        var refunded = await Disputed();
        var split = await Disputed();

        Assert.True((await stack.Resolve(refunded.JobId, new { outcome = "refund" })).IsSuccessStatusCode);
        Assert.True((await stack.Resolve(split.JobId, new { outcome = "split", workerCents = 4_000 })).IsSuccessStatusCode);

        Assert.Contains($"job.cancelled>{refunded.Pair.Buyer.Id}", await stack.WebhookEventsOfJob(refunded.JobId));
        Assert.Contains($"job.cancelled>{refunded.Pair.Worker.Id}", await stack.WebhookEventsOfJob(refunded.JobId));
        Assert.Equal(5, (await stack.WebhookEventsOfJob(refunded.JobId)).Length);
        Assert.Contains($"job.completed>{split.Pair.Buyer.Id}", await stack.WebhookEventsOfJob(split.JobId));
        Assert.Contains($"job.completed>{split.Pair.Worker.Id}", await stack.WebhookEventsOfJob(split.JobId));
        Assert.Equal("split", (await stack.WebhookBody(split.JobId, "job.completed", split.Pair.Buyer.Id)).GetProperty("data").GetProperty("resolution").GetString());
        Assert.Equal(["job_accepted", "job_completed", "job_delivered"], await stack.NotificationTypesOf(split.Pair.Buyer.Id));
    }

    [Fact]
    public async Task A_message_tells_the_other_party()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);

        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        var posted = await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "Please include the tests too." });
        Assert.True(posted.IsSuccessStatusCode, (await posted.ReadJson()).ToString());

        Assert.Equal(Sorted($"job.created>{pair.Worker.Id}", $"job.message>{pair.Worker.Id}"), await stack.WebhookEventsOfJob(jobId));
        var message = (await stack.WebhookBody(jobId, "job.message", pair.Worker.Id)).GetProperty("data").GetProperty("message");
        Assert.Equal("Please include the tests too.", message.GetProperty("content").GetString());
        Assert.Equal(pair.Buyer.Id, message.GetProperty("senderId").GetString());
        var notice = (await stack.Inbox(pair.Worker.ApiKey)).GetProperty("notifications")[0];
        Assert.Equal("job_message", notice.GetProperty("type").GetString());
        Assert.Contains("Please include the tests too.", notice.GetProperty("body").GetString());
        Assert.Empty(await stack.NotificationTypesOf(pair.Buyer.Id));
    }

    [Fact]
    public async Task A_step_whose_row_cannot_be_written_writes_no_event_and_no_notification()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        var events = await stack.WebhookEventsOfJob(jobId);

        await using (await TableObstacle.Install(stack.Postgres, "market_jobs", $"NEW.job_id = '{jobId}' AND NEW.status = 'ACCEPTED'"))
        {
            var refused = await stack.Act(pair.Worker.ApiKey, jobId, new { action = "accept" });
            Assert.False(refused.IsSuccessStatusCode);
        }
        Assert.Equal(events, await stack.WebhookEventsOfJob(jobId));
        Assert.Equal(0, await stack.NotificationsOf(pair.Buyer.Id));
        Assert.Equal("REQUESTED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());

        await using (await TableObstacle.Install(stack.Postgres, "job_messages", $"NEW.job_id = '{jobId}'"))
        {
            using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
            Assert.False((await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "hello" })).IsSuccessStatusCode);
        }
        Assert.Equal(events, await stack.WebhookEventsOfJob(jobId));
        Assert.Equal(["job_created"], await stack.NotificationTypesOf(pair.Worker.Id));

        // The same step, once it can be written, tells the buyer once.
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        Assert.Equal(Sorted($"job.accepted>{pair.Buyer.Id}", $"job.created>{pair.Worker.Id}"), await stack.WebhookEventsOfJob(jobId));
        Assert.Equal(["job_accepted"], await stack.NotificationTypesOf(pair.Buyer.Id));
    }

    [Fact]
    public async Task A_step_retried_after_its_state_write_failed_is_told_once()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);

        // The row and its events commit, the grain state write after them fails: the step is not done.
        var condition = $"{TableObstacle.StateContains(pair.Buyer.Id)} AND {TableObstacle.StateContains("ACCEPTED")}";
        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", condition))
            Assert.False((await stack.Act(pair.Worker.ApiKey, jobId, new { action = "accept" })).IsSuccessStatusCode);
        Assert.Equal("REQUESTED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());

        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });

        Assert.Equal(Sorted($"job.accepted>{pair.Buyer.Id}", $"job.created>{pair.Worker.Id}"), await stack.WebhookEventsOfJob(jobId));
        Assert.Equal(["job_accepted"], await stack.NotificationTypesOf(pair.Buyer.Id));
    }

    [Fact]
    public async Task A_completion_finished_by_recovery_is_told_once()
    {
        var lost = await stack.HiringPair(buyerFunds: 7_500);
        var lostJob = await stack.Hire(lost);
        await stack.Deliver(lost, lostJob);
        var behind = await stack.HiringPair(buyerFunds: 7_500);
        var behindJob = await stack.Hire(behind);
        await stack.Deliver(behind, behindJob);

        // One completion's transfer alone, as if the silo died right after it: its events were never written.
        var (release, details) = JobMoney.Payout(lostJob, WalletLedger.JobRelease, 7_500, JobMoney.Release(7_500, 10, 5, referred: false),
            lost.Worker.Id, lost.Buyer.Id, null, "Job completed: Code Review & PR Feedback");
        Assert.Equal(TransferStatus.Applied, (await stack.SiloServices.GetRequiredService<LedgerGroupCommit>().Transfer(release, details)).Status);
        // The other's transfer, row and events, its state write failing behind them: its events were written.
        var condition = $"{TableObstacle.StateContains(behind.Buyer.Id)} AND {TableObstacle.StateContains("COMPLETED")}";
        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", condition))
            Assert.False((await stack.Act(behind.Buyer.ApiKey, behindJob, new { action = "complete" })).IsSuccessStatusCode);
        await stack.CollectActivations();

        Assert.Equal("COMPLETED", (await stack.GetJob(lost.Buyer.ApiKey, lostJob)).GetProperty("status").GetString());
        Assert.Equal("COMPLETED", (await stack.GetJob(behind.Buyer.ApiKey, behindJob)).GetProperty("status").GetString());

        Assert.Equal(Sorted($"job.accepted>{lost.Buyer.Id}", $"job.completed>{lost.Worker.Id}", $"job.created>{lost.Worker.Id}", $"job.delivered>{lost.Buyer.Id}"),
            await stack.WebhookEventsOfJob(lostJob));
        Assert.Equal(Sorted($"job.accepted>{behind.Buyer.Id}", $"job.completed>{behind.Worker.Id}", $"job.created>{behind.Worker.Id}", $"job.delivered>{behind.Buyer.Id}"),
            await stack.WebhookEventsOfJob(behindJob));
        Assert.Equal(["job_completed", "job_created"], await stack.NotificationTypesOf(behind.Worker.Id));
    }

    async Task<(Hiring Pair, string JobId)> Disputed()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        await stack.Deliver(pair, jobId);
        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "dispute" });
        return (pair, jobId);
    }

    static string[] Sorted(params string[] events) => [.. events.Order(StringComparer.Ordinal)];
}
