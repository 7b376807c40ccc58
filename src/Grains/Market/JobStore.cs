using Actors.Grains.Notifications;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Market;

/// <summary>
/// The <c>market_jobs</c> read model and the <c>job_messages</c> threads. Rows are written only by
/// their job's grain; lists and a worker's stats are read here by the hiring grain and the job grain.
/// A step's events (<see cref="JobEvents"/>) ride in the batch that writes its row or message: one
/// transaction, through the webhook and notification outboxes.
/// </summary>
public sealed class JobStore(NpgsqlDataSource db, WebhookOutbox webhooks, NotificationOutbox notifications)
{
    const string Columns = """
        job_id, status, buyer_id, buyer_name, worker_id, worker_name, service_id, service_title, service_tiers::text,
        tier_name, price_cents, input, output, paid, rating, review, resolution, created_at, updated_at,
        accepted_at, delivered_at, completed_at, cancelled_at, due_at
        """;

    /// <summary>
    /// Writes the job's row (the whole row when new, what can change when it exists) and, in the same
    /// transaction, the step's <paramref name="events"/>.
    /// </summary>
    public async Task Upsert(string jobId, JobState job, JobEvents? events = null)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(UpsertCommand(jobId, job));
        AddEvents(batch, events);
        await batch.ExecuteNonQueryAsync();
    }

    void AddEvents(NpgsqlBatch batch, JobEvents? events)
    {
        if (events is null) return;
        if (events.Webhooks.Count > 0) batch.BatchCommands.Add(webhooks.Command(events.Webhooks));
        if (events.Notifications.Count > 0) batch.BatchCommands.Add(notifications.Command(events.Notifications));
    }

    static NpgsqlBatchCommand UpsertCommand(string jobId, JobState job)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO market_jobs (job_id, buyer_id, buyer_name, worker_id, worker_name, service_id, service_title, service_tiers,
                tier_name, price_cents, input, output, status, paid, rating, review, resolution, created_at, updated_at,
                accepted_at, delivered_at, completed_at, cancelled_at, due_at)
            VALUES (@id, @buyer, @buyerName, @worker, @workerName, @service, @title, @tiers::jsonb, @tier, @price, @input, @output,
                @status, @paid, @rating, @review, @resolution, @created, @updated, @accepted, @delivered, @completed, @cancelled, @due)
            ON CONFLICT (job_id) DO UPDATE SET
                output = EXCLUDED.output, status = EXCLUDED.status, paid = EXCLUDED.paid, rating = EXCLUDED.rating,
                review = EXCLUDED.review, resolution = EXCLUDED.resolution, updated_at = EXCLUDED.updated_at,
                accepted_at = EXCLUDED.accepted_at, delivered_at = EXCLUDED.delivered_at, completed_at = EXCLUDED.completed_at,
                cancelled_at = EXCLUDED.cancelled_at, due_at = EXCLUDED.due_at
            """);
        cmd.Parameters.AddWithValue("id", jobId);
        cmd.Parameters.AddWithValue("buyer", job.BuyerId);
        cmd.Parameters.AddWithValue("buyerName", job.BuyerName);
        cmd.Parameters.AddWithValue("worker", job.WorkerId);
        cmd.Parameters.AddWithValue("workerName", job.WorkerName);
        cmd.Parameters.AddWithValue("service", job.ServiceId);
        cmd.Parameters.AddWithValue("title", job.ServiceTitle);
        cmd.Parameters.AddWithValue("tiers", job.ServiceTiersJson);
        cmd.Parameters.AddWithValue("tier", job.TierName);
        cmd.Parameters.AddWithValue("price", job.PriceCents);
        cmd.Parameters.AddWithValue("input", job.Input);
        cmd.Parameters.Add(PgParameters.Text("output", job.Output));
        cmd.Parameters.AddWithValue("status", job.Status);
        cmd.Parameters.AddWithValue("paid", job.Paid);
        cmd.Parameters.Add(new NpgsqlParameter("rating", NpgsqlDbType.Integer) { Value = (object?)job.Rating ?? DBNull.Value });
        cmd.Parameters.Add(PgParameters.Text("review", job.Review));
        cmd.Parameters.Add(PgParameters.Text("resolution", job.Resolution));
        cmd.Parameters.AddWithValue("created", job.CreatedAt);
        cmd.Parameters.AddWithValue("updated", job.UpdatedAt);
        cmd.Parameters.Add(PgParameters.Time("accepted", job.AcceptedAt));
        cmd.Parameters.Add(PgParameters.Time("delivered", job.DeliveredAt));
        cmd.Parameters.Add(PgParameters.Time("completed", job.CompletedAt));
        cmd.Parameters.Add(PgParameters.Time("cancelled", job.CancelledAt));
        cmd.Parameters.Add(PgParameters.Time("due", job.DueAt));
        return cmd;
    }

    /// <summary>Removes the row of a job whose creation failed after writing it; a missing row is fine.</summary>
    public async Task Delete(string jobId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM market_jobs WHERE job_id = @id");
        cmd.Parameters.AddWithValue("id", jobId);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// True when the row says something other than the state (a row written ahead of a state write
    /// that failed, and whose putting back failed too).
    /// </summary>
    public async Task<bool> Differs(string jobId, JobState job)
    {
        await using var cmd = db.CreateCommand(
            "SELECT (status, paid, updated_at) IS DISTINCT FROM (@status, @paid, @updated) FROM market_jobs WHERE job_id = @id");
        cmd.Parameters.AddWithValue("id", jobId);
        cmd.Parameters.AddWithValue("status", job.Status);
        cmd.Parameters.AddWithValue("paid", job.Paid);
        cmd.Parameters.AddWithValue("updated", job.UpdatedAt);
        return await cmd.ExecuteScalarAsync() is not false;
    }

    /// <summary>Which of these ledger transfers exist (a job's steps whose money moved).</summary>
    public async Task<HashSet<string>> ExistingTransfers(string[] transferIds)
    {
        await using var cmd = db.CreateCommand("SELECT transfer_id FROM ledger_transfers WHERE transfer_id = ANY(@ids)");
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = transferIds });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return found;
    }

    /// <summary>An agent's jobs, newest first; <paramref name="role"/> null for both sides.</summary>
    public async Task<List<JobView>> List(string agentId, string? role, string? status, int limit, int offset)
    {
        var who = role switch
        {
            JobRules.Buyer => "buyer_id = @agent",
            JobRules.Worker => "worker_id = @agent",
            _ => "(buyer_id = @agent OR worker_id = @agent)",
        };
        var where = status is null ? who : who + " AND status = @status";
        await using var cmd = db.CreateCommand(
            $"SELECT {Columns} FROM market_jobs WHERE {where} ORDER BY created_at DESC, job_id DESC LIMIT @limit OFFSET @offset");
        cmd.Parameters.AddWithValue("agent", agentId);
        if (status is not null) cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);
        var jobs = new List<JobView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) jobs.Add(Read(reader));
        return jobs;
    }

    /// <summary>
    /// The worker's completed jobs and completed bids (market_bids), and the mean of the ratings its
    /// jobs got (0 when none was rated; bids carry no rating).
    /// </summary>
    public async Task<(int JobsCompleted, double Rating)> WorkerStats(string workerId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT (count(*) + (SELECT count(*) FROM market_bids WHERE bidder_id = @worker AND status = 'COMPLETED'))::int,
                   coalesce(avg(rating), 0)::double precision
            FROM market_jobs WHERE worker_id = @worker AND status = 'COMPLETED'
            """);
        cmd.Parameters.AddWithValue("worker", workerId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), Math.Round(reader.GetDouble(1), 2));
    }

    /// <summary>Writes the message and, in the same transaction, its <paramref name="events"/>.</summary>
    public async Task InsertMessage(JobMessage message, JobEvents? events = null)
    {
        await using var batch = db.CreateBatch();
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO job_messages (message_id, job_id, sender, sender_id, content, created_at)
            VALUES (@id, @job, @sender, @senderId, @content, @created)
            """);
        cmd.Parameters.AddWithValue("id", message.Id);
        cmd.Parameters.AddWithValue("job", message.JobId);
        cmd.Parameters.AddWithValue("sender", message.Sender);
        cmd.Parameters.AddWithValue("senderId", message.SenderId);
        cmd.Parameters.AddWithValue("content", message.Content);
        cmd.Parameters.AddWithValue("created", message.CreatedAt);
        batch.BatchCommands.Add(cmd);
        AddEvents(batch, events);
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The thread, oldest first, at most <paramref name="limit"/> messages.</summary>
    public async Task<List<JobMessage>> Messages(string jobId, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT message_id, job_id, sender, sender_id, content, created_at FROM job_messages
            WHERE job_id = @job ORDER BY created_at, message_id LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("job", jobId);
        cmd.Parameters.AddWithValue("limit", limit);
        var messages = new List<JobMessage>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            messages.Add(new JobMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        return messages;
    }

    static JobView Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7),
        JobState.Tiers(r.GetString(8)), r.GetString(9), r.GetInt64(10), r.GetString(11), r.TextOrNull(12), r.GetBoolean(13),
        r.IsDBNull(14) ? null : r.GetInt32(14), r.TextOrNull(15), r.TextOrNull(16),
        r.GetFieldValue<DateTimeOffset>(17), r.GetFieldValue<DateTimeOffset>(18),
        r.TimeOrNull(19), r.TimeOrNull(20), r.TimeOrNull(21), r.TimeOrNull(22), r.TimeOrNull(23));
}
