using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using static Actors.Tests.Subscriptions.SubscriptionSetup;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// The schedule lives in PostgreSQL: a silo down across due times catches up once when it starts
/// (the sweep finds what is overdue, nobody has to call); the reminder follows the schedule; a
/// step whose row could not be written after its money moved is finished by the next wake, never
/// paid twice. Restarts the shared stack's silo, as the other restart tests do, and leaves it running.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubscriptionRecoveryTests(ActorsStack stack)
{
    static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public async Task A_silo_down_across_three_slots_makes_one_run_for_the_missed_slot_when_it_starts()
    {
        var parties = await stack.SubscriptionParties();
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, dueAt) = (subscribed.At("createdAt"), subscribed.At("nextRunAt"));

        await stack.StopSilo();
        try
        {
            stack.Clock.Advance(3 * Day);
        }
        finally
        {
            await stack.StartSilo();
        }

        // Nobody calls the subscription: the new silo's sweep finds it overdue.
        var run = Assert.Single(await stack.RunsBecome(id, 1, seconds: 30));
        SameInstant(dueAt, run.ScheduledAt, "the missed slot");
        Assert.Equal("RUNNING", run.Status);
        await Task.Delay(700);
        Assert.Single(await stack.RunRows(id));

        await ApiIsBack(parties.Subscriber.ApiKey);
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal(1, subscription.Number("totalRuns"));
        SameInstant(createdAt + 4 * Day, subscription.At("nextRunAt"), "nextRunAt");
        Assert.Equal(1, await stack.ChargesOf(id));

        // And the schedule goes on from there.
        stack.Clock.Advance(Day);
        var runs = await stack.RunsBecome(id, 2);
        SameInstant(createdAt + 4 * Day, runs[1].ScheduledAt, "the next slot");
        Assert.Equal("MISSED", runs[0].Error);
    }

    [Fact]
    public async Task The_reminder_follows_the_schedule_and_is_gone_when_the_subscription_stops()
    {
        var parties = await stack.SubscriptionParties(runIntervalHours: 24);
        var hourly = await stack.OfferSubscription(parties.Provider.ApiKey, priceCents: 300, runIntervalHours: 1);
        var daily = (await stack.Subscribed(parties)).Id();
        var everyHour = (await stack.Subscribed(parties.Subscriber.ApiKey, hourly)).Id();

        Assert.Equal((long)Day.TotalMilliseconds, await ReminderBecomes(daily, p => p is not null));
        Assert.Equal((long)TimeSpan.FromHours(1).TotalMilliseconds, await ReminderBecomes(everyHour, p => p is not null));

        await stack.ChangeSubscription(parties.Subscriber.ApiKey, daily, "pause");
        Assert.Null(await ReminderBecomes(daily, p => p is null));
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, daily, "resume");
        Assert.Equal((long)Day.TotalMilliseconds, await ReminderBecomes(daily, p => p is not null));

        await stack.ChangeSubscription(parties.Subscriber.ApiKey, daily, "cancel");
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, everyHour, "cancel");
        Assert.Null(await ReminderBecomes(daily, p => p is null));
        Assert.Null(await ReminderBecomes(everyHour, p => p is null));
    }

    [Fact]
    public async Task A_subscription_whose_row_failed_after_its_first_charge_is_finished_by_the_retry_and_paid_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 2_500);
        var key = "row-fails-" + Guid.NewGuid();

        // The charge commits; the row (and its event) after it cannot be written.
        await using (await TableObstacle.Install(stack.Postgres, "market_subscriptions", $"NEW.subscriber_id = '{parties.Subscriber.Id}'"))
        {
            var failed = await stack.Subscribe(parties.Subscriber.ApiKey, new { serviceId = parties.ServiceId }, key);
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
        }
        await stack.CollectActivations();

        var retried = await stack.Subscribed(parties, key);

        var id = retried.Id();
        Assert.Equal("ACTIVE", retried.Text("status"));
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(1, await stack.ChargesPaidBy(parties.Subscriber.Id));
        Assert.Equal(1_500, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.created"));
        Assert.Equal("ACTIVE", (await stack.ReadSubscription(parties.Provider.ApiKey, id)).Text("status"));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_subscription_whose_first_charge_failed_does_not_exist_and_the_retry_makes_it_paid_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 2_500);
        var key = "charge-fails-" + Guid.NewGuid();

        // The definition is written; the month's transfer after it fails: nothing was paid.
        await using (await TableObstacle.Install(stack.Postgres, "ledger_entries", $"NEW.account_id = '{Actors.Grains.Wallets.WalletLedger.Wallet(parties.Subscriber.Id)}'"))
        {
            var failed = await stack.Subscribe(parties.Subscriber.ApiKey, new { serviceId = parties.ServiceId }, key);
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(0, await stack.ChargesPaidBy(parties.Subscriber.Id));
        Assert.Equal(0, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        // The definition may be left behind (it was written first): its key names the subscription.
        var stateKey = (string?)await stack.Postgres.Scalar("""
            SELECT grain_id_ext FROM orleans_grain_state
            WHERE grain_type = 'market-subscription' AND payload IS NOT NULL AND position(@id in convert_from(payload, 'UTF8')) > 0
            """, ("id", parties.Subscriber.Id));
        await stack.CollectActivations();

        // A definition without its row or its first month is no subscription.
        if (stateKey?.IndexOf("sub_", StringComparison.Ordinal) is int at and >= 0)
        {
            var read = await (await stack.GetSubscription(parties.Subscriber.ApiKey, stateKey[at..])).Refused(HttpStatusCode.NotFound);
            Assert.Equal("Subscription not found", read.Error());
            Assert.Equal(0, await stack.SubscriptionStatesNaming(parties.Subscriber.Id));
        }
        Assert.Empty((await (await stack.ListSubscriptions(parties.Subscriber.ApiKey)).ReadJson()).GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(2_500, await stack.WalletBalance(parties.Subscriber.ApiKey));

        var retried = await stack.Subscribed(parties, key);

        Assert.Equal("ACTIVE", retried.Text("status"));
        Assert.Equal(1, await stack.ChargesOf(retried.Id()));
        Assert.Equal(1, await stack.ChargesPaidBy(parties.Subscriber.Id));
        Assert.Equal(1_500, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.created"));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_month_charged_whose_row_could_not_be_written_is_finished_by_a_later_wake_and_charged_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var billAt = subscribed.At("nextBillingAt");

        await using (await TableObstacle.Install(stack.Postgres, "market_subscriptions", $"NEW.subscription_id = '{id}' AND NEW.billed_periods > 1"))
        {
            stack.Clock.Advance(billAt + TimeSpan.FromMinutes(1) - stack.Clock.GetUtcNow());
            // Money first: the month's transfer is on the ledger while its row cannot follow; the
            // sweep keeps waking it, and the same transfer id never moves money again.
            await stack.ChargesBecome(id, 2);
            await Task.Delay(1_000);
            Assert.Equal(2, await stack.ChargesOf(id));
            Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        }

        var subscription = await stack.ReadUntil(parties.Subscriber.ApiKey, id, s => s.At("nextBillingAt") > billAt);
        SameInstant(subscribed.At("createdAt").AddMonths(2), subscription.At("nextBillingAt"), "nextBillingAt");
        Assert.Equal("ACTIVE", subscription.Text("status"));
        await Task.Delay(700);
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
        Assert.True((await stack.RunRows(id)).Count <= 1);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_subscription_woken_by_the_sweep_leaves_memory_until_its_next_run()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        Assert.True(await InMemory(id));

        stack.Clock.Advance(Day);
        await stack.RunsBecome(id, 1);

        var clock = Stopwatch.StartNew();
        while (await InMemory(id) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.False(await InMemory(id), $"{id} is still active after its wake");
    }

    [Fact]
    public async Task A_subscription_whose_run_the_provider_reported_leaves_memory()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        stack.Clock.Advance(Day);
        await stack.RunsBecome(id, 1);
        var runId = (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).GetProperty("runs")[0].GetProperty("id").GetString()!;
        Assert.True(await InMemory(id));

        await stack.ReportRun(parties.Provider.ApiKey, id, runId, "COMPLETED", "report");

        var clock = Stopwatch.StartNew();
        while (await InMemory(id) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.False(await InMemory(id), $"{id} is still active after its run was reported");
        Assert.Equal(1, (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).GetProperty("successfulRuns").GetInt32());
    }

    async Task<bool> InMemory(string subscriptionId) =>
        (await stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Any(g => g.GrainId.Key.ToString() == subscriptionId);

    /// <summary>Waits (real time, up to 10 s) until the subscription's reminder period satisfies <paramref name="until"/>.</summary>
    async Task<long?> ReminderBecomes(string subscriptionId, Func<long?, bool> until)
    {
        var clock = Stopwatch.StartNew();
        long? period;
        while (!until(period = await stack.ReminderPeriod(subscriptionId)) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        Assert.True(until(period), $"the reminder of {subscriptionId} is {period?.ToString() ?? "absent"}");
        return period;
    }

    async Task ApiIsBack(string apiKey)
    {
        using var agent = stack.AsAgent(apiKey);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if ((await agent.GetAsync("/market/api/agents/me")).StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(250);
        }
        Assert.Fail("the API did not come back after the silo restarted");
    }
}
