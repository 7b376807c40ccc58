using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// The seed's Subscriptions end to end, once each: subscribe (the first month charged), a run after
/// one interval (the sweep wakes the subscription), its report and the reliability it gives, and the
/// subscriber's pause, resume and cancel. The thorough cases live beside this file.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubscriptionSmokeTests(ActorsStack stack)
{
    static readonly TimeSpan RunWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Subscribing_charges_the_first_month_to_the_provider_and_answers_the_seed_shape()
    {
        var provider = await stack.RegisterAgent();
        var subscriber = await stack.RegisterAgent();
        await stack.FundWallet(subscriber.ApiKey, 5_000);
        var serviceId = await stack.OfferSubscription(provider.ApiKey, priceCents: 1_000, runIntervalHours: 24);

        var before = DateTimeOffset.UtcNow + stack.Clock.Offset;
        var subscription = await stack.Subscribed(subscriber.ApiKey, serviceId);
        var after = DateTimeOffset.UtcNow + stack.Clock.Offset;

        var id = subscription.GetProperty("id").GetString()!;
        Assert.StartsWith("sub_", id);
        Assert.Equal("ACTIVE", subscription.GetProperty("status").GetString());
        Assert.Equal(1_000, subscription.GetProperty("priceCents").GetInt64());
        Assert.Equal(24, subscription.GetProperty("runIntervalHours").GetInt32());
        Assert.Equal("N/A", subscription.GetProperty("reliability").GetString());
        Assert.Equal(0, subscription.GetProperty("totalRuns").GetInt32());
        Assert.Equal(0, subscription.GetProperty("_count").GetProperty("runs").GetInt32());
        Assert.Equal(JsonValueKind.Null, subscription.GetProperty("pausedAt").ValueKind);
        var service = subscription.GetProperty("service");
        Assert.Equal(serviceId, service.GetProperty("id").GetString());
        Assert.Equal(provider.Id, service.GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal(provider.Name, service.GetProperty("agent").GetProperty("name").GetString());
        var nextRunAt = subscription.GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.InRange(nextRunAt, before.AddHours(24).AddSeconds(-1), after.AddHours(24).AddSeconds(1));
        var nextBillingAt = subscription.GetProperty("nextBillingAt").GetDateTimeOffset();
        Assert.InRange(nextBillingAt, before.AddMonths(1).AddSeconds(-1), after.AddMonths(1).AddSeconds(1));

        // One transfer for the month: the subscriber pays the price, the provider gets it less the 10% fee.
        Assert.Equal(4_000, await stack.WalletBalance(subscriber.ApiKey));
        Assert.Equal(900, await stack.WalletBalance(provider.ApiKey));
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM ledger_transfers WHERE transfer_id = @id", ("id", $"sub-charge:{id}:0")));
        await stack.AssertLedgerHolds();

        // Both sides see it; the provider heard of it.
        var read = await stack.ReadSubscription(provider.ApiKey, id);
        Assert.Equal(id, read.GetProperty("id").GetString());
        Assert.Empty(read.GetProperty("runs").EnumerateArray());
        Assert.Contains(await ListIds(subscriber.ApiKey, ""), i => i == id);
        Assert.Contains(await ListIds(provider.ApiKey, "?role=provider"), i => i == id);
        Assert.DoesNotContain(await ListIds(provider.ApiKey, ""), i => i == id);
        Assert.Equal(1L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND event = 'subscription.created'", ("id", provider.Id)));
        Assert.Equal(1L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM notifications WHERE agent_id = @id AND type = 'subscription_created'", ("id", provider.Id)));
    }

    [Fact]
    public async Task A_short_wallet_is_refused_with_402_and_nothing_is_kept()
    {
        var provider = await stack.RegisterAgent();
        var subscriber = await stack.RegisterAgent();
        await stack.FundWallet(subscriber.ApiKey, 999);
        var serviceId = await stack.OfferSubscription(provider.ApiKey, priceCents: 1_000);

        var response = await stack.Subscribe(subscriber.ApiKey, new { serviceId }, idempotencyKey: Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(999, await stack.WalletBalance(subscriber.ApiKey));
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM market_subscriptions WHERE subscriber_id = @id", ("id", subscriber.Id)));
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND event LIKE 'subscription.%'", ("id", provider.Id)));
    }

    [Fact]
    public async Task A_run_appears_after_one_interval_and_its_report_makes_reliability()
    {
        var provider = await stack.RegisterAgent();
        var subscriber = await stack.RegisterAgent();
        await stack.FundWallet(subscriber.ApiKey, 5_000);
        var serviceId = await stack.OfferSubscription(provider.ApiKey, priceCents: 500, runIntervalHours: 1);
        var subscription = await stack.Subscribed(subscriber.ApiKey, serviceId);
        var id = subscription.GetProperty("id").GetString()!;

        stack.Clock.Advance(TimeSpan.FromHours(1));

        // Nothing calls the subscription: the sweep wakes it (every 250 ms in the tests).
        var run = await FirstRun(subscriber.ApiKey, id);
        Assert.StartsWith("run_", run.GetProperty("id").GetString());
        Assert.Equal("RUNNING", run.GetProperty("status").GetString());
        Assert.Equal(subscription.GetProperty("nextRunAt").GetDateTimeOffset(), run.GetProperty("scheduledAt").GetDateTimeOffset());
        Assert.Equal(1L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND event = 'subscription.run'", ("id", provider.Id)));

        // The latest run is the one still RUNNING (another test moving the shared clock may have added one).
        var latest = (await stack.ReadSubscription(provider.ApiKey, id)).GetProperty("runs")[0];
        var runId = latest.GetProperty("id").GetString()!;
        var reported = await stack.ReportRun(provider.ApiKey, id, runId, "completed", "Today's market report");
        Assert.Equal("COMPLETED", reported.GetProperty("status").GetString());
        Assert.Equal("Today's market report", reported.GetProperty("output").GetString());

        var read = await stack.ReadSubscription(subscriber.ApiKey, id);
        Assert.True(read.GetProperty("successfulRuns").GetInt32() >= 1);
        if (read.GetProperty("failedRuns").GetInt32() == 0) Assert.Equal("100.0%", read.GetProperty("reliability").GetString());

        var again = await stack.PatchRun(provider.ApiKey, id, runId, new { status = "FAILED" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var bySubscriber = await stack.PatchRun(subscriber.ApiKey, id, runId, new { status = "COMPLETED" });
        Assert.Equal(HttpStatusCode.Forbidden, bySubscriber.StatusCode);
    }

    [Fact]
    public async Task The_subscriber_pauses_resumes_and_cancels()
    {
        var provider = await stack.RegisterAgent();
        var subscriber = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        await stack.FundWallet(subscriber.ApiKey, 5_000);
        var serviceId = await stack.OfferSubscription(provider.ApiKey, priceCents: 1_000, runIntervalHours: 24);
        var id = (await stack.Subscribed(subscriber.ApiKey, serviceId)).GetProperty("id").GetString()!;

        var paused = await stack.ChangeSubscription(subscriber.ApiKey, id, "pause");
        Assert.Equal("Subscription paused successfully", paused.GetProperty("message").GetString());
        Assert.Equal("PAUSED", paused.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal("SUBSCRIBER", paused.GetProperty("subscription").GetProperty("pauseReason").GetString());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("subscription").GetProperty("nextRunAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchSubscription(subscriber.ApiKey, id, new { action = "pause" })).StatusCode);

        var resumed = await stack.ChangeSubscription(subscriber.ApiKey, id, "RESUME");
        Assert.Equal("Subscription resumed successfully", resumed.GetProperty("message").GetString());
        Assert.Equal("ACTIVE", resumed.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("subscription").GetProperty("pauseReason").ValueKind);

        Assert.Equal(HttpStatusCode.Forbidden, (await stack.PatchSubscription(provider.ApiKey, id, new { action = "cancel" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.PatchSubscription(stranger.ApiKey, id, new { action = "cancel" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.GetSubscription(stranger.ApiKey, id)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.PatchSubscription(subscriber.ApiKey, id, new { action = "stop" })).StatusCode);

        var cancelled = await stack.ChangeSubscription(subscriber.ApiKey, id, "cancel");
        Assert.Equal("Subscription cancelled successfully", cancelled.GetProperty("message").GetString());
        Assert.Equal("CANCELLED", cancelled.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("subscription").GetProperty("nextBillingAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchSubscription(subscriber.ApiKey, id, new { action = "resume" })).StatusCode);

        // Nothing was refunded or charged again; the provider heard each change.
        Assert.Equal(4_000, await stack.WalletBalance(subscriber.ApiKey));
        Assert.Equal(3L, await stack.Postgres.Scalar("""
            SELECT count(*) FROM webhook_events WHERE agent_id = @id
            AND event IN ('subscription.paused', 'subscription.resumed', 'subscription.cancelled')
            """, ("id", provider.Id)));
    }

    /// <summary>The first run, once the row shows one (read from PostgreSQL: a GET would itself catch the subscription up).</summary>
    async Task<JsonElement> FirstRun(string apiKey, string id)
    {
        var deadline = DateTime.UtcNow + RunWait;
        while (true)
        {
            var count = await stack.Postgres.Scalar("SELECT total_runs FROM market_subscriptions WHERE subscription_id = @id", ("id", id));
            if (count is int n && n > 0) break;
            Assert.True(DateTime.UtcNow < deadline, $"no run of {id} within {RunWait}");
            await Task.Delay(100);
        }
        var runs = await stack.Postgres.Rows("SELECT run_id FROM subscription_runs WHERE subscription_id = @id ORDER BY scheduled_at", ("id", id));
        var first = (string)runs[0][0]!;
        var subscription = await stack.ReadSubscription(apiKey, id);
        return subscription.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetString() == first);
    }

    async Task<string[]> ListIds(string apiKey, string query)
    {
        var response = await stack.ListSubscriptions(apiKey, query);
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return [.. body.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }
}
