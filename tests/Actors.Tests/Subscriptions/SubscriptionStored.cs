using System.Diagnostics;
using System.Text.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// What subscriptions keep, counted straight from PostgreSQL: the rows, the grains' stored
/// definitions, the monthly charges, the runs, the events. A refusal test asserts none moved; a
/// schedule test waits for the runs table (not a call to the subscription, which would wake it).
/// </summary>
static class SubscriptionStored
{
    /// <summary>Rows of <c>market_subscriptions</c> the agent subscribed.</summary>
    public static Task<long> SubscriptionRowsOf(this ActorsStack stack, string subscriberId) =>
        Count(stack, "SELECT count(*) FROM market_subscriptions WHERE subscriber_id = @id", subscriberId);

    /// <summary>Rows of <c>market_subscriptions</c> to the agent's services.</summary>
    public static Task<long> SubscriptionRowsTo(this ActorsStack stack, string providerId) =>
        Count(stack, "SELECT count(*) FROM market_subscriptions WHERE provider_id = @id", providerId);

    /// <summary>Kept definitions of subscription grains that name the agent (a cleared state has no payload and does not count).</summary>
    public static Task<long> SubscriptionStatesNaming(this ActorsStack stack, string agentId) =>
        Count(stack, """
            SELECT count(*) FROM orleans_grain_state
            WHERE grain_type = 'market-subscription' AND payload IS NOT NULL
              AND position(@id in convert_from(payload, 'UTF8')) > 0
            """, agentId);

    /// <summary>The row as one text (status, schedule, counters, last change): a refused change leaves it exactly as it was.</summary>
    public static async Task<string?> SubscriptionRow(this ActorsStack stack, string subscriptionId) =>
        (string?)await stack.Postgres.Scalar("""
            SELECT concat_ws(' ', status, next_run_at, next_billing_at, billed_periods, paused_at, pause_reason, cancelled_at,
                             open_run_id, total_runs, successful_runs, failed_runs, updated_at)
            FROM market_subscriptions WHERE subscription_id = @id
            """, ("id", subscriptionId));

    /// <summary>The month charges of one subscription on the ledger (<c>sub-charge:&lt;id&gt;:&lt;n&gt;</c>).</summary>
    public static Task<long> ChargesOf(this ActorsStack stack, string subscriptionId) =>
        Count(stack, "SELECT count(*) FROM ledger_transfers WHERE transfer_id LIKE @id", $"sub-charge:{subscriptionId}:%");

    /// <summary>Subscription charges that took money from the agent's wallet.</summary>
    public static Task<long> ChargesPaidBy(this ActorsStack stack, string subscriberId) =>
        Count(stack, $"""
            SELECT count(DISTINCT t.transfer_id) FROM ledger_transfers t JOIN ledger_entries e ON e.transfer_id = t.transfer_id
            WHERE t.kind = '{WalletLedger.SubscriptionCharge}' AND e.account_id = @id
            """, WalletLedger.Wallet(subscriberId));

    /// <summary>The legs of one transfer, account → amount.</summary>
    public static async Task<Dictionary<string, long>> LegsOf(this ActorsStack stack, string transferId) =>
        (await stack.Postgres.Rows("SELECT account_id, amount FROM ledger_entries WHERE transfer_id = @id", ("id", transferId)))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);

    /// <summary>The kind and the wallet description of one transfer.</summary>
    public static async Task<(string? Kind, string? Description)> TransferOf(this ActorsStack stack, string transferId)
    {
        var kind = (string?)await stack.Postgres.Scalar("SELECT kind FROM ledger_transfers WHERE transfer_id = @id", ("id", transferId));
        var description = (string?)await stack.Postgres.Scalar("SELECT description FROM wallet_transfers WHERE transfer_id = @id", ("id", transferId));
        return (kind, description);
    }

    public static Task<long> RunsOf(this ActorsStack stack, string subscriptionId) =>
        Count(stack, "SELECT count(*) FROM subscription_runs WHERE subscription_id = @id", subscriptionId);

    /// <summary>The runs as the table keeps them, oldest slot first.</summary>
    public static async Task<List<StoredRun>> RunRows(this ActorsStack stack, string subscriptionId) =>
        [.. (await stack.Postgres.Rows(
            "SELECT run_id, status, scheduled_at, started_at, completed_at, output, error FROM subscription_runs WHERE subscription_id = @id ORDER BY scheduled_at",
            ("id", subscriptionId)))
            .Select(r => new StoredRun((string)r[0]!, (string)r[1]!, At(r[2])!.Value, At(r[3])!.Value, At(r[4]), (string?)r[5], (string?)r[6]))];

    /// <summary>
    /// Waits (real time, up to <paramref name="seconds"/>) until the subscription has
    /// <paramref name="count"/> runs in the table, written by its reminder or the sweep; answers them.
    /// </summary>
    public static async Task<List<StoredRun>> RunsBecome(this ActorsStack stack, string subscriptionId, int count, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        List<StoredRun> runs;
        while ((runs = await stack.RunRows(subscriptionId)).Count < count && clock.Elapsed < TimeSpan.FromSeconds(seconds))
            await Task.Delay(50);
        Assert.True(runs.Count == count, $"expected {count} runs of {subscriptionId}, found {runs.Count}");
        return runs;
    }

    /// <summary>Waits (real time) until the row's status is <paramref name="status"/>; answers the row as text.</summary>
    public static async Task<string> RowBecomes(this ActorsStack stack, string subscriptionId, string status, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        string? row;
        while ((row = await stack.SubscriptionRow(subscriptionId)) is not null && !row.StartsWith(status + " ") && clock.Elapsed < TimeSpan.FromSeconds(seconds))
            await Task.Delay(50);
        Assert.True(row?.StartsWith(status + " ") == true, $"expected {subscriptionId} {status}, row is {row}");
        return row!;
    }

    /// <summary>Waits (real time) until the subscription has <paramref name="count"/> charges on the ledger.</summary>
    public static async Task ChargesBecome(this ActorsStack stack, string subscriptionId, long count, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        long charges;
        while ((charges = await stack.ChargesOf(subscriptionId)) < count && clock.Elapsed < TimeSpan.FromSeconds(seconds))
            await Task.Delay(50);
        Assert.True(charges == count, $"expected {count} charges of {subscriptionId}, found {charges}");
    }

    /// <summary>How many notifications of <paramref name="type"/> the agent has.</summary>
    public static async Task<long> NoticesCount(this ActorsStack stack, string agentId, string type) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM notifications WHERE agent_id = @id AND type = @type", ("id", agentId), ("type", type)))!;

    /// <summary>Every notification and webhook event of the agent (a refusal adds none).</summary>
    public static async Task<long> EventsAndNoticesOf(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar(
            "SELECT (SELECT count(*) FROM notifications WHERE agent_id = @id) + (SELECT count(*) FROM webhook_events WHERE agent_id = @id)",
            ("id", agentId)))!;

    /// <summary>The agent's webhook events named <paramref name="eventName"/>, their bodies oldest first.</summary>
    public static async Task<List<JsonElement>> WebhookBodies(this ActorsStack stack, string agentId, string eventName) =>
        [.. (await stack.Postgres.Rows("SELECT body FROM webhook_events WHERE agent_id = @id AND event = @event ORDER BY created_at, event_id",
            ("id", agentId), ("event", eventName)))
            .Select(r => JsonDocument.Parse((string)r[0]!).RootElement.Clone())];

    /// <summary>The period (milliseconds) of the subscription's "subscription-due" reminder; null when it has none.</summary>
    public static async Task<long?> ReminderPeriod(this ActorsStack stack, string subscriptionId) =>
        (long?)await stack.Postgres.Scalar(
            "SELECT period_ms FROM orleans_reminder WHERE grain_id LIKE @id AND reminder_name = 'subscription-due'", ("id", "%" + subscriptionId));

    /// <summary>Every subscription-charge transfer on the ledger.</summary>
    public static async Task<long> AllSubscriptionCharges(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar($"SELECT count(*) FROM ledger_transfers WHERE kind = '{WalletLedger.SubscriptionCharge}'"))!;

    /// <summary>Every ledger entry sums to zero.</summary>
    public static async Task<long> SumOfAllEntries(this ActorsStack stack) =>
        (long)(decimal)(await stack.Postgres.Scalar("SELECT coalesce(sum(amount), 0) FROM ledger_entries"))!;

    static DateTimeOffset? At(object? value) => value switch
    {
        null => null,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset o => o,
        _ => throw new InvalidCastException(value.GetType().Name),
    };

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}

/// <summary>One row of <c>subscription_runs</c>.</summary>
sealed record StoredRun(string Id, string Status, DateTimeOffset ScheduledAt, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, string? Output, string? Error);
