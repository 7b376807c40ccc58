using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using static Actors.Tests.Subscriptions.SubscriptionSetup;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// Monthly billing on nextBillingAt (a calendar month), once per period however late or often the
/// subscription is woken; a wallet too short pauses it; the subscriber's pause, resume and cancel.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubscriptionBillingTests(ActorsStack stack)
{
    static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>Quiet time for the sweep (every 250 ms) to do anything it wrongly would.</summary>
    static Task Sweeps() => Task.Delay(700);

    [Fact]
    public async Task A_month_later_the_next_month_is_charged_once_and_billing_moves_a_month()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000, referred: true);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var billAt = subscribed.At("nextBillingAt");

        AdvancePast(billAt, TimeSpan.FromMinutes(1));

        // Charged by the sweep: nobody called the subscription.
        await stack.ChargesBecome(id, 2);
        Assert.Equal(new Dictionary<string, long>
        {
            [WalletLedger.Wallet(parties.Subscriber.Id)] = -1000,
            [WalletLedger.Wallet(parties.Provider.Id)] = 900,
            [LedgerAccount.Platform] = 50,
            [WalletLedger.Wallet(parties.Referrer!.Id)] = 50,
        }, await stack.LegsOf($"sub-charge:{id}:1"));
        Assert.EndsWith("(month 2)", (await stack.TransferOf($"sub-charge:{id}:1")).Description);
        var subscription = await stack.ReadUntil(parties.Subscriber.ApiKey, id, s => s.Number("totalRuns") == 1);
        Assert.Equal("ACTIVE", subscription.Text("status"));
        SameInstant(subscribed.At("createdAt").AddMonths(2), subscription.At("nextBillingAt"), "nextBillingAt");
        await Sweeps();
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
        Assert.Equal(100, await stack.WalletBalance(parties.Referrer.ApiKey));
        // However many run slots the month held, one run for the wake.
        Assert.Single(await stack.RunRows(id));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_subscription_started_on_a_31st_is_billed_on_the_last_day_of_a_shorter_month_and_on_the_31st_after_it()
    {
        // The shared clock only moves forward: on to the next 31st followed by a 30-day month or February.
        var now = stack.Clock.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 12, 0, 0, TimeSpan.Zero);
        while (DateTime.DaysInMonth(month.Year, month.Month) != 31 || DateTime.DaysInMonth(month.AddMonths(1).Year, month.AddMonths(1).Month) == 31
               || month.AddDays(30) <= now)
            month = month.AddMonths(1);
        var start = month.AddDays(30);
        Assert.Equal(31, start.Day);
        stack.Clock.Advance(start - now);

        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var first = subscribed.At("nextBillingAt");
        Assert.Equal(DateTime.DaysInMonth(first.Year, first.Month), first.Day);
        Assert.True(first.Day < 31);

        AdvancePast(first, TimeSpan.FromMinutes(1));
        await stack.ChargesBecome(id, 2);
        var subscription = await stack.ReadUntil(parties.Subscriber.ApiKey, id, s => s.At("nextBillingAt") > first);
        var second = subscription.At("nextBillingAt");
        // Counted from the start, not from the short month: back on the 31st (or the month's last day).
        Assert.Equal(Math.Min(31, DateTime.DaysInMonth(second.Year, second.Month)), second.Day);
        Assert.True(second.Day > first.Day || second.Month != first.Month, $"{first:O} → {second:O}");
        SameInstant(subscribed.At("createdAt").AddMonths(2), second, "nextBillingAt");
    }

    [Fact]
    public async Task Several_months_missed_together_are_charged_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();

        AdvancePast(subscribed.At("nextBillingAt"), TimeSpan.FromDays(3 * 31));

        await stack.ChargesBecome(id, 2);
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        var now = stack.Clock.GetUtcNow();
        Assert.Equal("ACTIVE", subscription.Text("status"));
        Assert.True(subscription.At("nextBillingAt") > now, $"nextBillingAt {subscription.At("nextBillingAt"):O} is not after now {now:O}");
        Assert.True(subscription.At("nextBillingAt") <= now.AddMonths(1), $"nextBillingAt {subscription.At("nextBillingAt"):O} is more than a month away");
        await Sweeps();
        await stack.ReadSubscription(parties.Provider.ApiKey, id);
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Single(await stack.RunRows(id));
    }

    [Fact]
    public async Task A_wallet_too_short_at_billing_pauses_it_and_resuming_charges_first()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 1_000, priceCents: 1_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, billAt) = (subscribed.At("createdAt"), subscribed.At("nextBillingAt"));
        Assert.Equal(0, await stack.WalletBalance(parties.Subscriber.ApiKey));

        AdvancePast(billAt, TimeSpan.FromMinutes(1));

        await stack.RowBecomes(id, "PAUSED");
        var paused = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal("PAUSED", paused.Text("status"));
        Assert.Equal("INSUFFICIENT_FUNDS", paused.Text("pauseReason"));
        Assert.False(paused.IsNull("pausedAt"));
        Assert.True(paused.IsNull("nextRunAt"));
        SameInstant(billAt, paused.At("nextBillingAt"), "nextBillingAt");
        Assert.Equal(1, await stack.NoticesCount(parties.Subscriber.Id, "subscription_paused"));
        Assert.Equal(1, await stack.NoticesCount(parties.Provider.Id, "subscription_paused"));
        Assert.Single(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.paused"));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.paused"));
        // Billing comes before runs: the wake that paused it made no run, and none comes while paused.
        Assert.Empty(await stack.RunRows(id));
        stack.Clock.Advance(3 * Day);
        await Sweeps();
        Assert.Empty(await stack.RunRows(id));
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(1, await stack.NoticesCount(parties.Provider.Id, "subscription_paused"));

        // Resuming with the wallet still short: 402, and it stays exactly as it was.
        var row = await stack.SubscriptionRow(id);
        var shortResume = await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "resume" })).Refused(HttpStatusCode.PaymentRequired);
        Assert.Contains("1000", shortResume.Error().Replace(",", ""));
        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal("INSUFFICIENT_FUNDS", (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).Text("pauseReason"));

        // Funded: the month is charged first, then it runs again.
        await stack.FundWallet(parties.Subscriber.ApiKey, 1_500);
        var before = stack.Clock.GetUtcNow();
        var resumed = await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "resume");
        var after = stack.Clock.GetUtcNow();

        Assert.Equal("Subscription resumed successfully", resumed.Text("message"));
        var subscription = resumed.GetProperty("subscription");
        Assert.Equal("ACTIVE", subscription.Text("status"));
        Assert.True(subscription.IsNull("pausedAt"));
        Assert.True(subscription.IsNull("pauseReason"));
        Assert.InRange(subscription.At("nextBillingAt"), before.AddMonths(1).AddMilliseconds(-1), after.AddMonths(1).AddMilliseconds(1));
        SameInstant(FirstSlotAfter(createdAt, Day, after), subscription.At("nextRunAt"), "nextRunAt");
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.EndsWith("(month 2)", (await stack.TransferOf($"sub-charge:{id}:1")).Description);
        Assert.Equal(500, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.resumed"));

        // And runs on its schedule again.
        stack.Clock.Advance(Day);
        Assert.Equal("RUNNING", Assert.Single(await stack.RunsBecome(id, 1)).Status);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Pausing_stops_runs_and_resuming_within_the_paid_month_charges_nothing()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 3_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, billAt) = (subscribed.At("createdAt"), subscribed.At("nextBillingAt"));
        stack.Clock.Advance(Day);
        await stack.RunsBecome(id, 1);

        var pausedAnswer = await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "pause");

        Assert.Equal("Subscription paused successfully", pausedAnswer.Text("message"));
        var paused = pausedAnswer.GetProperty("subscription");
        Assert.Equal(id, paused.Id());
        Assert.Equal("PAUSED", paused.Text("status"));
        Assert.Equal("SUBSCRIBER", paused.Text("pauseReason"));
        Assert.False(paused.IsNull("pausedAt"));
        Assert.True(paused.IsNull("nextRunAt"));
        SameInstant(billAt, paused.At("nextBillingAt"), "nextBillingAt");
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.paused"));
        Assert.Equal(0, await stack.NoticesCount(parties.Subscriber.Id, "subscription_paused"));

        stack.Clock.Advance(3 * Day);
        await Sweeps();
        Assert.Single(await stack.RunRows(id));

        // Pausing twice: 409 naming the status, nothing written.
        var row = await stack.SubscriptionRow(id);
        var twice = await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "pause" })).Refused(HttpStatusCode.Conflict);
        Assert.Equal("This subscription is PAUSED", twice.Error());
        Assert.Equal(row, await stack.SubscriptionRow(id));

        var resumedAnswer = await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "resume");
        var now = stack.Clock.GetUtcNow();
        var resumed = resumedAnswer.GetProperty("subscription");
        Assert.Equal("ACTIVE", resumed.Text("status"));
        Assert.True(resumed.IsNull("pausedAt"));
        Assert.True(resumed.IsNull("pauseReason"));
        // Paid through: no charge, the month as it was; the schedule's next slot (no extra runs bought).
        SameInstant(billAt, resumed.At("nextBillingAt"), "nextBillingAt");
        SameInstant(FirstSlotAfter(createdAt, Day, now), resumed.At("nextRunAt"), "nextRunAt");
        SameInstant(createdAt + 5 * Day, resumed.At("nextRunAt"), "nextRunAt");
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(2_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.resumed"));

        row = await stack.SubscriptionRow(id);
        var resumeActive = await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "resume" })).Refused(HttpStatusCode.Conflict);
        Assert.Equal("This subscription is ACTIVE", resumeActive.Error());
        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Single(await stack.RunRows(id));
    }

    [Fact]
    public async Task Paused_past_the_paid_month_nothing_is_charged_until_resuming_charges_it_first()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 3_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var (createdAt, billAt) = (subscribed.At("createdAt"), subscribed.At("nextBillingAt"));
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "pause");

        AdvancePast(billAt, TimeSpan.FromDays(10));
        await Sweeps();

        var paused = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal("PAUSED", paused.Text("status"));
        Assert.Equal("SUBSCRIBER", paused.Text("pauseReason"));
        SameInstant(billAt, paused.At("nextBillingAt"), "nextBillingAt");
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Empty(await stack.RunRows(id));

        var before = stack.Clock.GetUtcNow();
        var resumed = (await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "resume")).GetProperty("subscription");
        var after = stack.Clock.GetUtcNow();

        Assert.Equal("ACTIVE", resumed.Text("status"));
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Equal(1_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.InRange(resumed.At("nextBillingAt"), before.AddMonths(1).AddMilliseconds(-1), after.AddMonths(1).AddMilliseconds(1));
        SameInstant(FirstSlotAfter(createdAt, Day, after), resumed.At("nextRunAt"), "nextRunAt");
        await Sweeps();
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Empty(await stack.RunRows(id));
    }

    [Fact]
    public async Task Cancel_is_final_no_runs_or_charges_follow_and_the_paid_month_is_kept()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 3_000);
        var id = (await stack.Subscribed(parties)).Id();
        var pausedFirst = (await stack.Subscribed(parties)).Id();
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, pausedFirst, "pause");

        var cancelledAnswer = await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "cancel");
        var fromPause = (await stack.ChangeSubscription(parties.Subscriber.ApiKey, pausedFirst, "Cancel")).GetProperty("subscription");

        Assert.Equal("Subscription cancelled successfully", cancelledAnswer.Text("message"));
        foreach (var cancelled in new[] { cancelledAnswer.GetProperty("subscription"), fromPause })
        {
            Assert.Equal("CANCELLED", cancelled.Text("status"));
            Assert.False(cancelled.IsNull("cancelledAt"));
            Assert.True(cancelled.IsNull("nextRunAt"));
            Assert.True(cancelled.IsNull("nextBillingAt"));
        }
        Assert.Equal(2, (await stack.WebhookBodies(parties.Provider.Id, "subscription.cancelled")).Count);
        Assert.Null(await stack.ReminderPeriod(id));

        stack.Clock.Advance(TimeSpan.FromDays(100));
        await Sweeps();
        await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Empty(await stack.RunRows(id));
        Assert.Empty(await stack.RunRows(pausedFirst));
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(1, await stack.ChargesOf(pausedFirst));
        // Not refunded.
        Assert.Equal(1_000, await stack.WalletBalance(parties.Subscriber.ApiKey));

        var row = await stack.SubscriptionRow(id);
        foreach (var action in new[] { "cancel", "resume", "pause" })
        {
            var refused = await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action })).Refused(HttpStatusCode.Conflict);
            Assert.Equal("This subscription is CANCELLED", refused.Error());
        }
        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal(new[] { id, pausedFirst }.Order(), (await List(parties.Subscriber.ApiKey, "?status=cancelled")).Order());
        await stack.AssertLedgerHolds();
        Assert.Equal(0, await stack.AccountsBelowZero());
    }

    [Fact]
    public async Task Many_concurrent_wakes_right_after_the_billing_time_charge_the_period_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();

        AdvancePast(subscribed.At("nextBillingAt"), TimeSpan.FromMilliseconds(1));
        var reads = Enumerable.Range(0, 20).Select(async i =>
        {
            var key = i % 4 == 0 ? parties.Provider.ApiKey : parties.Subscriber.ApiKey;
            var response = i % 2 == 0
                ? await stack.GetSubscription(key, id)
                : await stack.ListSubscriptions(key, i % 4 == 1 ? "" : "?role=provider");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var answers = await Task.WhenAll(reads);

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{(int)a.StatusCode} {a.Body}"));
        await stack.ChargesBecome(id, 2);
        await Sweeps();
        Assert.Equal(2, await stack.ChargesOf(id));
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
        Assert.True((await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).At("nextBillingAt") > stack.Clock.GetUtcNow());
        Assert.True((await stack.RunRows(id)).Count <= 1);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task The_list_never_shows_a_stale_schedule()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        var billAt = subscribed.At("nextBillingAt");

        AdvancePast(billAt, TimeSpan.FromMinutes(1));
        var listed = Assert.Single(await Listed(parties.Subscriber.ApiKey));

        // Asked of its grain first: charged, the next month and the next run after now.
        var now = stack.Clock.GetUtcNow();
        Assert.Equal(id, listed.Id());
        SameInstant(subscribed.At("createdAt").AddMonths(2), listed.At("nextBillingAt"), "nextBillingAt");
        Assert.True(listed.At("nextRunAt") > now.AddMinutes(-1), $"stale nextRunAt {listed.At("nextRunAt"):O}");
        Assert.Equal(1, listed.Number("totalRuns"));
        Assert.Equal(2, await stack.ChargesOf(id));
    }

    [Fact]
    public async Task A_later_price_change_does_not_touch_an_existing_subscription_and_an_inactive_service_keeps_billing()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000, priceCents: 1_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        using var provider = stack.AsAgent(parties.Provider.ApiKey);
        var changed = await provider.PatchAsJsonAsync($"/market/api/services/{parties.ServiceId}", new { priceCents = 2_500, active = false });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());

        AdvancePast(subscribed.At("nextBillingAt"), TimeSpan.FromMinutes(1));

        await stack.ChargesBecome(id, 2);
        Assert.Equal(-1_000, (await stack.LegsOf($"sub-charge:{id}:1"))[WalletLedger.Wallet(parties.Subscriber.Id)]);
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal("ACTIVE", subscription.Text("status"));
        Assert.Equal(1_000, subscription.GetProperty("priceCents").GetInt64());
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
    }

    [Fact]
    public async Task A_service_deleted_meanwhile_cancels_at_billing_and_charges_nothing()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var subscribed = await stack.Subscribed(parties);
        var id = subscribed.Id();
        using var provider = stack.AsAgent(parties.Provider.ApiKey);
        Assert.True((await provider.DeleteAsync($"/market/api/services/{parties.ServiceId}")).IsSuccessStatusCode);

        AdvancePast(subscribed.At("nextBillingAt"), TimeSpan.FromMinutes(1));

        await stack.RowBecomes(id, "CANCELLED");
        var subscription = await stack.ReadSubscription(parties.Subscriber.ApiKey, id);
        Assert.Equal("CANCELLED", subscription.Text("status"));
        Assert.False(subscription.IsNull("cancelledAt"));
        Assert.True(subscription.IsNull("nextRunAt"));
        Assert.True(subscription.IsNull("nextBillingAt"));
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Single(await stack.WebhookBodies(parties.Subscriber.Id, "subscription.cancelled"));
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.cancelled"));
        Assert.Empty(await stack.RunRows(id));
    }

    /// <summary>Moves the shared clock to <paramref name="beyond"/> past <paramref name="due"/> (never back).</summary>
    void AdvancePast(DateTimeOffset due, TimeSpan beyond)
    {
        var by = due + beyond - stack.Clock.GetUtcNow();
        if (by > TimeSpan.Zero) stack.Clock.Advance(by);
    }

    async Task<List<string>> List(string apiKey, string query = "") => [.. (await Listed(apiKey, query)).Select(s => s.Id())];

    async Task<List<System.Text.Json.JsonElement>> Listed(string apiKey, string query = "")
    {
        var response = await stack.ListSubscriptions(apiKey, query);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return [.. body.GetProperty("subscriptions").EnumerateArray()];
    }
}
