using Npgsql;
using NpgsqlTypes;
using Actors.Grains.Identity;

namespace Actors.Grains.Webhooks;

/// <summary>An outbox event a dispatcher holds (leased) to send: the body is sent as stored, under its id.</summary>
public sealed record ClaimedEvent(string EventId, string AgentId, string Event, string Body, int Attempts);

/// <summary>What one attempt got: the status code (null: no answer), and why it failed when it did.</summary>
public sealed record AttemptOutcome(int? StatusCode, bool Succeeded, string? Error, TimeSpan Duration, TimeSpan? RetryAfter);

/// <summary>
/// The SQL of webhook delivery: claiming due events of <c>webhook_events</c> (several silos share
/// them: <c>FOR UPDATE SKIP LOCKED</c> and a lease), recording each attempt in
/// <c>webhook_deliveries</c> with the event's next due time, and the agent's delivery log.
/// </summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource db)
{
    // The candidates are locked (skipped by other silos' claims) only for this statement; the lease
    // keeps them after it. At most perEndpoint events of one agent per claim: one agent's backlog
    // never fills the claim.
    const string ClaimSql = """
        WITH candidates AS (
            SELECT event_id, agent_id, COALESCE(next_attempt_at, created_at) AS due
            FROM webhook_events
            WHERE status = 'pending' AND COALESCE(next_attempt_at, created_at) <= @now
              AND (lease_until IS NULL OR lease_until <= @now) AND agent_id <> ALL(@busy)
            ORDER BY COALESCE(next_attempt_at, created_at)
            LIMIT @scan
            FOR UPDATE SKIP LOCKED),
        picked AS (
            SELECT event_id FROM (
                SELECT event_id, due, row_number() OVER (PARTITION BY agent_id ORDER BY due) AS nth FROM candidates) c
            WHERE nth <= @perEndpoint ORDER BY due LIMIT @max)
        UPDATE webhook_events e SET lease_until = @leaseUntil
        FROM picked WHERE e.event_id = picked.event_id
        RETURNING e.event_id, e.agent_id, e.event, e.body, e.attempts
        """;

    public async Task<IReadOnlyList<ClaimedEvent>> Claim(
        int max, int perEndpoint, IReadOnlyCollection<string> busyAgents, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(ClaimSql);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("leaseUntil", now + lease);
        cmd.Parameters.Add(new NpgsqlParameter("busy", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = busyAgents.ToArray() });
        cmd.Parameters.AddWithValue("scan", max * 4);
        cmd.Parameters.AddWithValue("perEndpoint", perEndpoint);
        cmd.Parameters.AddWithValue("max", max);
        var claimed = new List<ClaimedEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new ClaimedEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        return claimed;
    }

    /// <summary>
    /// Deletes delivery attempts made before <paramref name="before"/> and events finished before it
    /// (never a pending one), in one transaction; answers how many rows of both went.
    /// </summary>
    public async Task<int> Purge(DateTimeOffset before)
    {
        await using var batch = db.CreateBatch();
        var attempts = new NpgsqlBatchCommand("DELETE FROM webhook_deliveries WHERE attempted_at < $1");
        attempts.Parameters.Add(new NpgsqlParameter { Value = before, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var events = new NpgsqlBatchCommand("DELETE FROM webhook_events WHERE status <> 'pending' AND finished_at < $1");
        events.Parameters.Add(new NpgsqlParameter { Value = before, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(attempts);
        batch.BatchCommands.Add(events);
        await batch.ExecuteNonQueryAsync();
        return attempts.RecordsAffected + events.RecordsAffected;
    }

    /// <summary>Gives a claimed event back untried (this silo has no room for it now).</summary>
    public async Task Release(string eventId)
    {
        await using var cmd = db.CreateCommand("UPDATE webhook_events SET lease_until = NULL WHERE event_id = @id AND status = 'pending'");
        cmd.Parameters.AddWithValue("id", eventId);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The agent has a webhook URL: its events are written pending (see schema 0750). Before the URL is kept.</summary>
    public async Task Subscribe(string agentId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("INSERT INTO webhook_subscribers (agent_id, since) VALUES (@agent, @now) ON CONFLICT (agent_id) DO NOTHING");
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The agent's URL was cleared: its events are written settled from now on.</summary>
    public async Task Unsubscribe(string agentId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM webhook_subscribers WHERE agent_id = @agent");
        cmd.Parameters.AddWithValue("agent", agentId);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>An event of an agent with no enabled endpoint: finished without a send.</summary>
    public async Task Settle(string eventId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE webhook_events SET status = 'settled', lease_until = NULL, next_attempt_at = NULL, finished_at = @now
            WHERE event_id = @id AND status = 'pending'
            """);
        cmd.Parameters.AddWithValue("id", eventId);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Keeps one attempt and the event's next step in one transaction: delivered, failed for good
    /// (<paramref name="nextAt"/> null after a failure), or pending again at <paramref name="nextAt"/>.
    /// </summary>
    public async Task Record(ClaimedEvent e, int attempt, string url, AttemptOutcome outcome, DateTimeOffset now, DateTimeOffset? nextAt)
    {
        var status = outcome.Succeeded ? WebhookEventStatus.Delivered : nextAt is null ? WebhookEventStatus.Failed : WebhookEventStatus.Pending;
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(InsertAttempt(e.EventId, e.AgentId, e.Event, attempt, url, outcome, now, status == WebhookEventStatus.Pending ? nextAt : null));
        var update = new NpgsqlBatchCommand("""
            UPDATE webhook_events SET status = @status, attempts = @attempt, next_attempt_at = @next, lease_until = NULL,
                finished_at = CASE WHEN @status = 'pending' THEN NULL ELSE @now END
            WHERE event_id = @id
            """);
        update.Parameters.AddWithValue("status", status);
        update.Parameters.AddWithValue("attempt", attempt);
        update.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = (object?)nextAt ?? DBNull.Value });
        update.Parameters.AddWithValue("now", now);
        update.Parameters.AddWithValue("id", e.EventId);
        batch.BatchCommands.Add(update);
        // One batch is one implicit transaction: the attempt and the event's next step commit together.
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>A test event, sent at once by the endpoint: the event and its one attempt, already finished.</summary>
    public async Task RecordTest(string eventId, string agentId, string body, string url, AttemptOutcome outcome, DateTimeOffset now)
    {
        var status = outcome.Succeeded ? WebhookEventStatus.Delivered : WebhookEventStatus.Failed;
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO webhook_events (event_id, agent_id, event, job_id, body, created_at, status, attempts, finished_at)
            VALUES (@id, @agent, 'webhook.test', NULL, @body, @now, @status, 1, @now)
            """);
        insert.Parameters.AddWithValue("id", eventId);
        insert.Parameters.AddWithValue("agent", agentId);
        insert.Parameters.AddWithValue("body", body);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("status", status);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(InsertAttempt(eventId, agentId, "webhook.test", 1, url, outcome, now, null));
        await batch.ExecuteNonQueryAsync();
    }

    static NpgsqlBatchCommand InsertAttempt(
        string eventId, string agentId, string eventName, int attempt, string url, AttemptOutcome outcome, DateTimeOffset now, DateTimeOffset? nextAt)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO webhook_deliveries (delivery_id, event_id, agent_id, event, attempt, url, status_code, error, duration_ms, attempted_at, next_retry_at)
            VALUES (@delivery, @event_id, @agent, @event, @attempt, @url, @code, @error, @ms, @now, @next)
            """);
        insert.Parameters.AddWithValue("delivery", RandomToken.Id("whd"));
        insert.Parameters.AddWithValue("event_id", eventId);
        insert.Parameters.AddWithValue("agent", agentId);
        insert.Parameters.AddWithValue("event", eventName);
        insert.Parameters.AddWithValue("attempt", attempt);
        insert.Parameters.AddWithValue("url", url);
        insert.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Integer) { Value = (object?)outcome.StatusCode ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)outcome.Error ?? DBNull.Value });
        insert.Parameters.AddWithValue("ms", (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds));
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = (object?)nextAt ?? DBNull.Value });
        return insert;
    }

    /// <summary>The agent's most recent attempts, newest first, each with its event's status now.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> Recent(string agentId, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT d.delivery_id, d.event_id, d.event, d.attempt, d.status_code, d.duration_ms, d.error, d.attempted_at,
                   CASE WHEN e.status = 'pending' THEN COALESCE(e.next_attempt_at, e.created_at) END, e.status
            FROM webhook_deliveries d JOIN webhook_events e ON e.event_id = d.event_id
            WHERE d.agent_id = @agent ORDER BY d.attempted_at DESC, d.attempt DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<WebhookDelivery>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add(new WebhookDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetString(9)));
        return list;
    }

    /// <summary>Makes the event of one of the agent's attempts due now again; null when there is no such attempt.</summary>
    public async Task<string?> Requeue(string agentId, string deliveryId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE webhook_events e SET status = 'pending', next_attempt_at = @now, lease_until = NULL, finished_at = NULL
            FROM webhook_deliveries d
            WHERE d.delivery_id = @delivery AND d.agent_id = @agent AND e.event_id = d.event_id
            RETURNING e.event_id
            """);
        cmd.Parameters.AddWithValue("delivery", deliveryId);
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("now", now);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
