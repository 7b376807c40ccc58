using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using Actors.Tests.Webhooks;
using static Actors.Tests.Subscriptions.SubscriptionSetup;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// Runs on schedule (the fake clock; the test stack's sweep wakes what is due every 250 ms): one
/// run per due slot, the provider told and reporting it, a run nobody reported counted as MISSED,
/// and a long gap caught up with one run, not one per slot. Expectations come from the answers
/// (the clock is shared and only moves forward), never from absolute times.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubscriptionRunTests(ActorsStack stack)
{
    static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public async Task One_interval_later_one_run_is_running_and_the_provider_is_told()
    {
        var parties = await stack.SubscriptionParties(runIntervalHours: 24);
        await using var receiver = await WebhookReceiver.Start();
        using (var provider = stack.AsAgent(parties.Provider.ApiKey)) await provider.RegisterWebhook(receiver);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, dueAt) = (subscribed.At("createdAt"), subscribed.At("nextRunAt"));

        stack.Clock.Advance(Day);

        // Written by the sweep or the reminder: nobody called the subscription.
        var run = Assert.Single(await stack.RunsBecome(id, 1));
        Assert.Matches("^run_[0-9A-Za-z]{32}$", run.Id);
        Assert.Equal("RUNNING", run.Status);
        SameInstant(dueAt, run.ScheduledAt, "scheduledAt");
        Assert.True(run.StartedAt >= run.ScheduledAt.AddMilliseconds(-1), $"started {run.StartedAt:O} before its slot {run.ScheduledAt:O}");
        Assert.Null(run.CompletedAt);

        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(1, subscription.Number("totalRuns"));
        Assert.Equal(1, subscription.GetProperty("_count").Number("runs"));
        Assert.Equal(0, subscription.Number("successfulRuns"));
        Assert.Equal("N/A", subscription.Text("reliability"));
        SameInstant(createdAt + 2 * Day, subscription.At("nextRunAt"), "nextRunAt");
        var shown = Assert.Single(subscription.GetProperty("runs").EnumerateArray());
        Assert.Equal(run.Id, shown.Id());
        Assert.Equal("RUNNING", shown.Text("status"));
        SameInstant(dueAt, shown.At("scheduledAt"), "the run's scheduledAt");
        Assert.True(shown.TryGetProperty("startedAt", out _));
        Assert.True(shown.IsNull("completedAt"));

        // The provider's inbox and webhook.
        var inbox = await Notifications(parties.Provider.ApiKey, "subscription_run");
        var notice = Assert.Single(inbox);
        var data = notice.GetProperty("data");
        Assert.Equal(id, data.Text("subscriptionId"));
        Assert.Equal(run.Id, data.Text("runId"));
        Assert.Equal(parties.ServiceId, data.Text("serviceId"));
        SameInstant(dueAt, data.At("scheduledAt"), "the notice's scheduledAt");
        Assert.Equal($"/api/subscriptions/{id}/runs/{run.Id}", data.Text("reportUrl"));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.run"));
        var delivered = await Delivered(receiver, "subscription.run");
        Assert.Contains(run.Id, delivered.Body);
        Assert.NotEmpty(delivered.VerifiedWith);
        Assert.Empty(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run"));
    }

    [Fact]
    public async Task The_provider_reports_a_run_completed_and_reliability_counts_it()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        stack.Clock.Advance(Day);
        var runId = Assert.Single(await stack.RunsBecome(id, 1)).Id;
        var output = new string('r', 50_000);

        var run = await stack.ReportRun(parties.Provider.ApiKey, id, runId, "completed", output);

        Assert.Equal(runId, run.Id());
        Assert.Equal("COMPLETED", run.Text("status"));
        Assert.Equal(output, run.Text("output"));
        Assert.False(run.IsNull("completedAt"));
        var subscription = await stack.ReadSubscription(parties.Provider.ApiKey, id);
        Assert.Equal(1, subscription.Number("totalRuns"));
        Assert.Equal(1, subscription.Number("successfulRuns"));
        Assert.Equal(0, subscription.Number("failedRuns"));
        Assert.Equal("100.0%", subscription.Text("reliability"));
        var shown = Assert.Single(subscription.GetProperty("runs").EnumerateArray());
        Assert.Equal("COMPLETED", shown.Text("status"));
        Assert.Equal(output, shown.Text("output"));
        Assert.Single(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run.completed"));
        var stored = Assert.Single(await stack.RunRows(id));
        Assert.Equal(("COMPLETED", output), (stored.Status, stored.Output));
        Assert.NotNull(stored.CompletedAt);

        // Twice: 409 naming its status, nothing changes.
        var row = await stack.SubscriptionRow(id);
        var twice = await (await stack.PatchRun(parties.Provider.ApiKey, id, runId, new { status = "FAILED" })).Refused(HttpStatusCode.Conflict);
        Assert.Contains("COMPLETED", twice.Error());
        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal("COMPLETED", Assert.Single(await stack.RunRows(id)).Status);
    }

    [Fact]
    public async Task A_failed_report_counts_against_reliability_and_tells_the_subscriber()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        stack.Clock.Advance(Day);
        var runId = Assert.Single(await stack.RunsBecome(id, 1)).Id;

        var run = await stack.ReportRun(parties.Provider.ApiKey, id, runId, "FAILED", "the upstream feed was down");

        Assert.Equal("FAILED", run.Text("status"));
        Assert.Equal("the upstream feed was down", run.Text("output"));
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(0, subscription.Number("successfulRuns"));
        Assert.Equal(1, subscription.Number("failedRuns"));
        Assert.Equal("0.0%", subscription.Text("reliability"));
        Assert.Single(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run.failed"));
        Assert.Empty(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run.completed"));
    }

    [Fact]
    public async Task Only_the_provider_reports_a_running_run_and_a_bad_report_changes_nothing()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        var other = (await stack.Subscribed(parties)).Id();
        stack.Clock.Advance(Day);
        var runId = Assert.Single(await stack.RunsBecome(id, 1)).Id;
        var otherRunId = Assert.Single(await stack.RunsBecome(other, 1)).Id;
        var stranger = await stack.RegisterAgent();
        var row = await stack.SubscriptionRow(id);
        var events = await stack.EventsAndNoticesOf(parties.Subscriber.Id);
        var p = parties.Provider.ApiKey;

        var bySubscriber = await (await stack.PatchRun(parties.Subscriber.ApiKey, id, runId, new { status = "COMPLETED" })).Refused(HttpStatusCode.Forbidden);
        Assert.Equal("Only the provider reports runs", bySubscriber.Error());
        var byStranger = await (await stack.PatchRun(stranger.ApiKey, id, runId, new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        Assert.Equal("Subscription not found", byStranger.Error());
        await (await stack.PatchRun(p, "sub_" + Guid.NewGuid().ToString("N"), runId, new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        await (await stack.PatchRun(p, "nope", runId, new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        var unknownRun = await (await stack.PatchRun(p, id, "run_" + Guid.NewGuid().ToString("N"), new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        Assert.Equal("Run not found", unknownRun.Error());
        var anotherSubscriptions = await (await stack.PatchRun(p, id, otherRunId, new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        Assert.Equal("Run not found", anotherSubscriptions.Error());
        await (await stack.PatchRun(p, id, "not-a-run", new { status = "COMPLETED" })).Refused(HttpStatusCode.NotFound);
        await (await stack.PatchRun(p, id, runId, new { })).Refused(HttpStatusCode.BadRequest, "status");
        await (await stack.PatchRun(p, id, runId, new { status = "DONE" })).Refused(HttpStatusCode.BadRequest, "status");
        await (await stack.PatchRun(p, id, runId, new { status = "RUNNING" })).Refused(HttpStatusCode.BadRequest, "status");
        await (await stack.PatchRun(p, id, runId, new { status = "" })).Refused(HttpStatusCode.BadRequest, "status");
        await (await stack.PatchRun(p, id, runId, new { status = "COMPLETED", output = new string('x', 50_001) })).Refused(HttpStatusCode.BadRequest, "output");
        await (await PatchRunRaw(p, id, runId, """{"status": 1}""")).Refused(HttpStatusCode.BadRequest);
        await (await PatchRunRaw(p, id, runId, """{"status": "COMPLETED", "output": {"a": 1}}""")).Refused(HttpStatusCode.BadRequest);

        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal(events, await stack.EventsAndNoticesOf(parties.Subscriber.Id));
        var run = Assert.Single(await stack.RunRows(id));
        Assert.Equal("RUNNING", run.Status);
        Assert.Null(run.Output);
        Assert.Null(run.CompletedAt);
        Assert.Equal("RUNNING", Assert.Single(await stack.RunRows(other)).Status);
        // Still reportable.
        Assert.Equal("COMPLETED", (await stack.ReportRun(p, id, runId, "COMPLETED")).Text("status"));
    }

    [Fact]
    public async Task A_run_unreported_by_the_next_slot_is_missed_and_reliability_counts_it()
    {
        var parties = await stack.SubscriptionParties();
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var createdAt = subscribed.At("createdAt");

        stack.Clock.Advance(Day);
        var first = (await stack.RunsBecome(id, 1))[0];
        await stack.ReportRun(parties.Provider.ApiKey, id, first.Id, "COMPLETED", "day 1");
        stack.Clock.Advance(Day);
        var second = (await stack.RunsBecome(id, 2))[1];
        await stack.ReportRun(parties.Provider.ApiKey, id, second.Id, "COMPLETED", "day 2");
        stack.Clock.Advance(Day);
        var third = (await stack.RunsBecome(id, 3))[2];
        Assert.Empty(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run.failed"));

        // The provider does not report the third before the fourth is due.
        stack.Clock.Advance(Day);
        var runs = await stack.RunsBecome(id, 4);

        Assert.Equal(["COMPLETED", "COMPLETED", "FAILED", "RUNNING"], runs.Select(r => r.Status));
        Assert.Equal(third.Id, runs[2].Id);
        Assert.Equal("MISSED", runs[2].Error);
        Assert.NotNull(runs[2].CompletedAt);
        Assert.Equal(Enumerable.Range(1, 4).Select(k => createdAt + k * Day), runs.Select(r => r.ScheduledAt), new CloseInstants());
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(4, subscription.Number("totalRuns"));
        Assert.Equal(2, subscription.Number("successfulRuns"));
        Assert.Equal(1, subscription.Number("failedRuns"));
        Assert.Equal("66.7%", subscription.Text("reliability"));
        Assert.Equal(4, subscription.GetProperty("_count").Number("runs"));
        SameInstant(createdAt + 5 * Day, subscription.At("nextRunAt"), "nextRunAt");
        // The seed's recent runs: newest first.
        var shown = subscription.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runs.Select(r => r.Id).Reverse(), shown.Select(r => r.Id()));
        Assert.Equal("MISSED", shown[1].Text("error"));
        Assert.Single(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.run.failed"));
        Assert.Equal(4, await stack.NoticesCount(parties.Provider.Id, "subscription_run"));

        // A missed run is not reportable any more.
        var late = await (await stack.PatchRun(parties.Provider.ApiKey, id, third.Id, new { status = "COMPLETED" })).Refused(HttpStatusCode.Conflict);
        Assert.Contains("FAILED", late.Error());
        Assert.Equal("66.7%", (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).Text("reliability"));
    }

    [Fact]
    public async Task Five_intervals_at_once_make_one_run_and_the_next_slot_is_the_first_after_now()
    {
        var parties = await stack.SubscriptionParties(runIntervalHours: 6);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, dueAt) = (subscribed.At("createdAt"), subscribed.At("nextRunAt"));
        var interval = TimeSpan.FromHours(6);

        stack.Clock.Advance(5 * interval);

        var run = Assert.Single(await stack.RunsBecome(id, 1));
        SameInstant(dueAt, run.ScheduledAt, "scheduledAt");
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(1, subscription.Number("totalRuns"));
        SameInstant(FirstSlotAfter(createdAt, interval, stack.Clock.GetUtcNow()), subscription.At("nextRunAt"), "nextRunAt");
        SameInstant(createdAt + 6 * interval, subscription.At("nextRunAt"), "nextRunAt");
        // More wakes (the sweep, reads) make no more runs until the next slot.
        await Task.Delay(600);
        await stack.ReadSubscription(parties.Provider.ApiKey, id);
        Assert.Single(await stack.RunRows(id));
        Assert.Equal(1, await stack.NoticesCount(parties.Provider.Id, "subscription_run"));

        stack.Clock.Advance(interval);
        var runs = await stack.RunsBecome(id, 2);
        SameInstant(createdAt + 6 * interval, runs[1].ScheduledAt, "the second run's slot");
        Assert.Equal(["FAILED", "RUNNING"], runs.Select(r => r.Status));
    }

    [Fact]
    public async Task A_running_run_stays_reportable_after_a_pause_or_a_cancel()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        var cancelledId = (await stack.Subscribed(parties)).Id();
        stack.Clock.Advance(Day);
        var runId = Assert.Single(await stack.RunsBecome(id, 1)).Id;
        var cancelledRunId = Assert.Single(await stack.RunsBecome(cancelledId, 1)).Id;
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "pause");
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, cancelledId, "cancel");

        var run = await stack.ReportRun(parties.Provider.ApiKey, id, runId, "COMPLETED", "done while paused");
        var afterCancel = await stack.ReportRun(parties.Provider.ApiKey, cancelledId, cancelledRunId, "FAILED", "gave up");

        Assert.Equal("COMPLETED", run.Text("status"));
        Assert.Equal("FAILED", afterCancel.Text("status"));
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal("PAUSED", subscription.Text("status"));
        Assert.Equal(1, subscription.Number("successfulRuns"));
        Assert.Equal("100.0%", subscription.Text("reliability"));
        var cancelled = await stack.ReadSubscription(parties.Subscriber.ApiKey, cancelledId);
        Assert.Equal("CANCELLED", cancelled.Text("status"));
        Assert.Equal(1, cancelled.Number("failedRuns"));
        Assert.Equal("0.0%", cancelled.Text("reliability"));
    }

    [Fact]
    public async Task A_subscription_shows_its_20_most_recent_runs_newest_first()
    {
        var parties = await stack.SubscriptionParties(runIntervalHours: 1);
        var id = (await stack.Subscribed(parties)).Id();

        for (var k = 1; k <= 22; k++)
        {
            stack.Clock.Advance(TimeSpan.FromHours(1));
            await stack.RunsBecome(id, k);
        }

        var runs = await stack.RunRows(id);
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(22, subscription.Number("totalRuns"));
        Assert.Equal(22, subscription.GetProperty("_count").Number("runs"));
        Assert.Equal(21, subscription.Number("failedRuns"));
        Assert.Equal("0.0%", subscription.Text("reliability"));
        var shown = subscription.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runs.Select(r => r.Id).Reverse().Take(20), shown.Select(r => r.Id()));
        Assert.Equal("RUNNING", shown[0].Text("status"));
        Assert.All(shown.Skip(1), r => Assert.Equal("MISSED", r.Text("error")));
    }

    async Task<List<JsonElement>> Notifications(string apiKey, string type)
    {
        using var agent = stack.AsAgent(apiKey);
        var response = await agent.GetAsync("/market/api/agents/notifications");
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return [.. body.GetProperty("notifications").EnumerateArray().Where(n => n.Text("type") == type)];
    }

    async Task<HttpResponseMessage> PatchRunRaw(string apiKey, string id, string runId, string json)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsync(SubscriptionClient.RunPath(id, runId), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    }

    /// <summary>Waits (real time, up to 20 s) for a delivery of <paramref name="eventName"/>.</summary>
    static async Task<ReceivedWebhook> Delivered(WebhookReceiver receiver, string eventName)
    {
        var clock = Stopwatch.StartNew();
        ReceivedWebhook? found;
        while ((found = receiver.Received.FirstOrDefault(r => r.Event == eventName)) is null && clock.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);
        Assert.True(found is not null, $"no {eventName} delivered; got {string.Join(", ", receiver.Received.Select(r => r.Event))}");
        return found!;
    }

    sealed class CloseInstants : IEqualityComparer<DateTimeOffset>
    {
        public bool Equals(DateTimeOffset x, DateTimeOffset y) => (x - y).Duration() < TimeSpan.FromMilliseconds(1);

        public int GetHashCode(DateTimeOffset obj) => 0;
    }
}
