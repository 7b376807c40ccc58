using Actors.Grains.Notifications;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// <c>market_subscriptions</c> and <c>subscription_runs</c> (schema 0760). Rows are written only by
/// their subscription's grain, each change as one batch (one transaction) with the runs it creates or
/// finishes and its events, through the webhook and notification outboxes. The registry reads the
/// lists here and the sweep the subscriptions that are due.
/// </summary>
public sealed class SubscriptionStore(NpgsqlDataSource db, WebhookOutbox webhooks, NotificationOutbox notifications)
{
    const string Columns = """
        subscription_id, subscriber_id, provider_id, provider_name, provider_avatar_url, referrer_id, service_id, service_title,
        service_description, price_cents, run_interval_hours, status, next_run_at, next_billing_at, billed_periods, paused_at,
        pause_reason, cancelled_at, open_run_id, total_runs, successful_runs, failed_runs, created_at, updated_at
        """;

    const string RunColumns = "run_id, subscription_id, status, scheduled_at, started_at, completed_at, output, error";

    public async Task<SubscriptionRow?> Load(string subscriptionId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM market_subscriptions WHERE subscription_id = @id");
        cmd.Parameters.AddWithValue("id", subscriptionId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>
    /// One change in one transaction: the row (whole when new, what changes when it exists), the runs it
    /// creates (a slot written again is ignored), the runs it finishes (only while still RUNNING), and
    /// its events.
    /// </summary>
    public async Task Write(SubscriptionRow row, SubscriptionEvents events,
        IReadOnlyList<SubscriptionRunView>? created = null, IReadOnlyList<SubscriptionRunView>? finished = null)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(UpsertCommand(row));
        foreach (var run in finished ?? []) batch.BatchCommands.Add(FinishCommand(run));
        foreach (var run in created ?? []) batch.BatchCommands.Add(InsertRunCommand(run));
        if (events.Webhooks.Count > 0) batch.BatchCommands.Add(webhooks.Command(events.Webhooks));
        if (events.Notifications.Count > 0) batch.BatchCommands.Add(notifications.Command(events.Notifications));
        await batch.ExecuteNonQueryAsync();
    }

    static NpgsqlBatchCommand UpsertCommand(SubscriptionRow s)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO market_subscriptions (subscription_id, subscriber_id, provider_id, provider_name, provider_avatar_url, referrer_id,
                service_id, service_title, service_description, price_cents, run_interval_hours, status, next_run_at, next_billing_at,
                billed_periods, paused_at, pause_reason, cancelled_at, open_run_id, total_runs, successful_runs, failed_runs, created_at, updated_at)
            VALUES (@id, @subscriber, @provider, @providerName, @avatar, @referrer, @service, @title, @description, @price, @interval,
                @status, @nextRun, @nextBilling, @billed, @paused, @reason, @cancelled, @openRun, @total, @successful, @failed, @created, @updated)
            ON CONFLICT (subscription_id) DO UPDATE SET
                status = EXCLUDED.status, next_run_at = EXCLUDED.next_run_at, next_billing_at = EXCLUDED.next_billing_at,
                billed_periods = EXCLUDED.billed_periods, paused_at = EXCLUDED.paused_at, pause_reason = EXCLUDED.pause_reason,
                cancelled_at = EXCLUDED.cancelled_at, open_run_id = EXCLUDED.open_run_id, total_runs = EXCLUDED.total_runs,
                successful_runs = EXCLUDED.successful_runs, failed_runs = EXCLUDED.failed_runs, updated_at = EXCLUDED.updated_at
            """);
        cmd.Parameters.AddWithValue("id", s.SubscriptionId);
        cmd.Parameters.AddWithValue("subscriber", s.SubscriberId);
        cmd.Parameters.AddWithValue("provider", s.ProviderId);
        cmd.Parameters.AddWithValue("providerName", s.ProviderName);
        cmd.Parameters.Add(Text("avatar", s.ProviderAvatarUrl));
        cmd.Parameters.Add(Text("referrer", s.ReferrerId));
        cmd.Parameters.AddWithValue("service", s.ServiceId);
        cmd.Parameters.AddWithValue("title", s.ServiceTitle);
        cmd.Parameters.AddWithValue("description", s.ServiceDescription);
        cmd.Parameters.AddWithValue("price", s.PriceCents);
        cmd.Parameters.AddWithValue("interval", s.RunIntervalHours);
        cmd.Parameters.AddWithValue("status", s.Status);
        cmd.Parameters.Add(Time("nextRun", s.NextRunAt));
        cmd.Parameters.Add(Time("nextBilling", s.NextBillingAt));
        cmd.Parameters.AddWithValue("billed", s.BilledPeriods);
        cmd.Parameters.Add(Time("paused", s.PausedAt));
        cmd.Parameters.Add(Text("reason", s.PauseReason));
        cmd.Parameters.Add(Time("cancelled", s.CancelledAt));
        cmd.Parameters.Add(Text("openRun", s.OpenRunId));
        cmd.Parameters.AddWithValue("total", s.TotalRuns);
        cmd.Parameters.AddWithValue("successful", s.SuccessfulRuns);
        cmd.Parameters.AddWithValue("failed", s.FailedRuns);
        cmd.Parameters.AddWithValue("created", s.CreatedAt);
        cmd.Parameters.AddWithValue("updated", s.UpdatedAt);
        return cmd;
    }

    static NpgsqlBatchCommand InsertRunCommand(SubscriptionRunView run)
    {
        var cmd = new NpgsqlBatchCommand($"""
            INSERT INTO subscription_runs ({RunColumns}) VALUES (@id, @subscription, @status, @scheduled, @started, @completed, @output, @error)
            ON CONFLICT DO NOTHING
            """);
        AddRun(cmd, run);
        return cmd;
    }

    static NpgsqlBatchCommand FinishCommand(SubscriptionRunView run)
    {
        var cmd = new NpgsqlBatchCommand("""
            UPDATE subscription_runs SET status = @status, completed_at = @completed, output = @output, error = @error
            WHERE run_id = @id AND subscription_id = @subscription AND status = 'RUNNING'
            """);
        AddRun(cmd, run);
        return cmd;
    }

    static void AddRun(NpgsqlBatchCommand cmd, SubscriptionRunView run)
    {
        cmd.Parameters.AddWithValue("id", run.Id);
        cmd.Parameters.AddWithValue("subscription", run.SubscriptionId);
        cmd.Parameters.AddWithValue("status", run.Status);
        cmd.Parameters.AddWithValue("scheduled", run.ScheduledAt);
        cmd.Parameters.AddWithValue("started", run.StartedAt);
        cmd.Parameters.Add(Time("completed", run.CompletedAt));
        cmd.Parameters.Add(Text("output", run.Output));
        cmd.Parameters.Add(Text("error", run.Error));
    }

    /// <summary>One run of the subscription; null for an unknown id or another subscription's run.</summary>
    public async Task<SubscriptionRunView?> Run(string subscriptionId, string runId)
    {
        await using var cmd = db.CreateCommand($"SELECT {RunColumns} FROM subscription_runs WHERE run_id = @run AND subscription_id = @id");
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("id", subscriptionId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadRun(reader) : null;
    }

    /// <summary>The most recent runs, newest first.</summary>
    public async Task<List<SubscriptionRunView>> RecentRuns(string subscriptionId, int limit)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {RunColumns} FROM subscription_runs WHERE subscription_id = @id ORDER BY scheduled_at DESC, run_id DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("id", subscriptionId);
        cmd.Parameters.AddWithValue("limit", limit);
        var runs = new List<SubscriptionRunView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) runs.Add(ReadRun(reader));
        return runs;
    }

    /// <summary>Whether the ledger holds this transfer (a creation whose charge went through before its row was written).</summary>
    public async Task<bool> TransferExists(string transferId)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM ledger_transfers WHERE transfer_id = @id)");
        cmd.Parameters.AddWithValue("id", transferId);
        return await cmd.ExecuteScalarAsync() is true;
    }

    /// <summary>An agent's subscriptions as <paramref name="role"/> (buyer: its own; provider: to its services), newest first.</summary>
    public async Task<List<SubscriptionRow>> List(string agentId, string role, string? status, int limit, int offset)
    {
        var who = role == SubscriptionRoles.Provider ? "provider_id = @agent" : "subscriber_id = @agent";
        var where = status is null ? who : who + " AND status = @status";
        await using var cmd = db.CreateCommand(
            $"SELECT {Columns} FROM market_subscriptions WHERE {where} ORDER BY created_at DESC, subscription_id DESC LIMIT @limit OFFSET @offset");
        cmd.Parameters.AddWithValue("agent", agentId);
        if (status is not null) cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);
        var rows = new List<SubscriptionRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(Read(reader));
        return rows;
    }

    /// <summary>The subscriptions due at or before <paramref name="dueBy"/>, the most overdue first (what the sweep wakes).</summary>
    public async Task<List<string>> Due(DateTimeOffset dueBy, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT subscription_id FROM market_subscriptions WHERE next_due_at <= @dueBy ORDER BY next_due_at LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("dueBy", dueBy);
        cmd.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    static SubscriptionRow Read(NpgsqlDataReader r) => new()
    {
        SubscriptionId = r.GetString(0),
        SubscriberId = r.GetString(1),
        ProviderId = r.GetString(2),
        ProviderName = r.GetString(3),
        ProviderAvatarUrl = r.TextOrNull(4),
        ReferrerId = r.TextOrNull(5),
        ServiceId = r.GetString(6),
        ServiceTitle = r.GetString(7),
        ServiceDescription = r.GetString(8),
        PriceCents = r.GetInt64(9),
        RunIntervalHours = r.GetInt32(10),
        Status = r.GetString(11),
        NextRunAt = r.TimeOrNull(12),
        NextBillingAt = r.TimeOrNull(13),
        BilledPeriods = r.GetInt32(14),
        PausedAt = r.TimeOrNull(15),
        PauseReason = r.TextOrNull(16),
        CancelledAt = r.TimeOrNull(17),
        OpenRunId = r.TextOrNull(18),
        TotalRuns = r.GetInt32(19),
        SuccessfulRuns = r.GetInt32(20),
        FailedRuns = r.GetInt32(21),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(22),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(23),
    };

    static SubscriptionRunView ReadRun(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
        r.TimeOrNull(5), r.TextOrNull(6), r.TextOrNull(7));

    static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    static NpgsqlParameter Time(string name, DateTimeOffset? value) => new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };
}
