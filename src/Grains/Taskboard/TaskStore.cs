using Actors.Grains.Platform;
using Actors.Grains.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Taskboard;

/// <summary>One delivery's result as <c>taskboard_deliveries</c> keeps it.</summary>
public sealed record TaskDeliveryRow(int Number, string AgentHandle, string? Code, string? Url, string Summary, string? MetadataJson, DateTimeOffset SubmittedAt);

/// <summary>
/// <c>taskboard_tasks</c> and <c>taskboard_deliveries</c> (schema 0800). Rows are written only by
/// their task's grain, each change as one batch (one transaction) with its delivery and its webhook
/// events (<see cref="WebhookOutbox"/>). The board reads polls and the client's lists here, the
/// sweep the tasks that are due.
/// </summary>
public sealed class TaskStore(NpgsqlDataSource db, WebhookOutbox webhooks)
{
    const string SummaryColumns = "task_id, title, reward_cents, skills, status, claimed_by, lease_expires_at, created_at, updated_at";

    /// <summary>Whether the task's row exists, and whether it says what <paramref name="task"/> says (null: no row).</summary>
    public async Task<bool?> Matches(string taskId, TaskState task)
    {
        await using var cmd = db.CreateCommand("""
            SELECT (status, claimed_by, lease_expires_at, review_due_at, agent_earned_cents, updated_at)
                   IS NOT DISTINCT FROM (@status, @claimed, @lease, @review, @earned, @updated)
            FROM taskboard_tasks WHERE task_id = @id
            """);
        cmd.Parameters.AddWithValue("id", taskId);
        AddChanging(cmd.Parameters, task);
        return await cmd.ExecuteScalarAsync() is bool matches ? matches : null;
    }

    /// <summary>The task's row (whole when new, what changes when it exists), its delivery and its events, in one transaction.</summary>
    public async Task Write(string taskId, TaskState task, IReadOnlyList<WebhookEvent>? events = null, TaskDeliveryRow? delivery = null)
    {
        await using var batch = db.CreateBatch();
        if (delivery is not null) batch.BatchCommands.Add(DeliveryCommand(taskId, delivery));
        batch.BatchCommands.Add(UpsertCommand(taskId, task));
        if (events is { Count: > 0 }) batch.BatchCommands.Add(webhooks.Command(events));
        await batch.ExecuteNonQueryAsync();
    }

    static NpgsqlBatchCommand UpsertCommand(string taskId, TaskState t)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO taskboard_tasks (task_id, client_id, title, skills, reward_cents, status, claimed_by, lease_expires_at, review_due_at,
                agent_earned_cents, created_at, updated_at)
            VALUES (@id, @client, @title, @skills, @reward, @status, @claimed, @lease, @review, @earned, @created, @updated)
            ON CONFLICT (task_id) DO UPDATE SET
                status = EXCLUDED.status, claimed_by = EXCLUDED.claimed_by, lease_expires_at = EXCLUDED.lease_expires_at,
                review_due_at = EXCLUDED.review_due_at, agent_earned_cents = EXCLUDED.agent_earned_cents, updated_at = EXCLUDED.updated_at
            """);
        cmd.Parameters.AddWithValue("id", taskId);
        cmd.Parameters.AddWithValue("client", t.ClientId);
        cmd.Parameters.AddWithValue("title", t.Title);
        cmd.Parameters.Add(new NpgsqlParameter("skills", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = t.Skills.ToArray() });
        cmd.Parameters.AddWithValue("reward", t.RewardCents);
        cmd.Parameters.AddWithValue("created", t.CreatedAt);
        AddChanging(cmd.Parameters, t);
        return cmd;
    }

    static void AddChanging(NpgsqlParameterCollection p, TaskState t)
    {
        p.AddWithValue("status", t.Status);
        p.Add(PgParameters.Text("claimed", t.ClaimedBy));
        p.Add(PgParameters.Time("lease", t.Status == TaskStatuses.InProgress ? t.LeaseExpiresAt : null));
        p.Add(PgParameters.Time("review", t.Status == TaskStatuses.Submitted ? t.ReviewDueAt : null));
        p.AddWithValue("earned", t.AgentEarnedCents);
        p.AddWithValue("updated", t.UpdatedAt);
    }

    /// <summary>A delivery written again under its number (its first write's step never kept) replaces what it held.</summary>
    static NpgsqlBatchCommand DeliveryCommand(string taskId, TaskDeliveryRow d)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO taskboard_deliveries (task_id, number, agent_handle, code, url, summary, metadata, submitted_at)
            VALUES (@id, @number, @agent, @code, @url, @summary, @metadata, @submitted)
            ON CONFLICT (task_id, number) DO UPDATE SET agent_handle = EXCLUDED.agent_handle, code = EXCLUDED.code, url = EXCLUDED.url,
                summary = EXCLUDED.summary, metadata = EXCLUDED.metadata, submitted_at = EXCLUDED.submitted_at
            """);
        cmd.Parameters.AddWithValue("id", taskId);
        cmd.Parameters.AddWithValue("number", d.Number);
        cmd.Parameters.AddWithValue("agent", d.AgentHandle);
        cmd.Parameters.Add(PgParameters.Text("code", d.Code));
        cmd.Parameters.Add(PgParameters.Text("url", d.Url));
        cmd.Parameters.AddWithValue("summary", d.Summary);
        cmd.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = (object?)d.MetadataJson ?? DBNull.Value });
        cmd.Parameters.AddWithValue("submitted", d.SubmittedAt);
        return cmd;
    }

    public async Task<TaskDeliveryRow?> Delivery(string taskId, int number)
    {
        await using var cmd = db.CreateCommand("""
            SELECT number, agent_handle, code, url, summary, metadata::text, submitted_at FROM taskboard_deliveries WHERE task_id = @id AND number = @number
            """);
        cmd.Parameters.AddWithValue("id", taskId);
        cmd.Parameters.AddWithValue("number", number);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new TaskDeliveryRow(reader.GetInt32(0), reader.GetString(1), reader.TextOrNull(2), reader.TextOrNull(3), reader.GetString(4),
                reader.TextOrNull(5), reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    /// <summary>The claimant's approved and rejected tasks other than <paramref name="exceptTaskId"/> (its karma before this outcome).</summary>
    public async Task<(int Completed, int Rejected)> Record(string handle, string exceptTaskId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE status = 'COMPLETED')::int, count(*) FILTER (WHERE status = 'REJECTED')::int
            FROM taskboard_tasks WHERE claimed_by = @handle AND task_id <> @id
            """);
        cmd.Parameters.AddWithValue("handle", handle);
        cmd.Parameters.AddWithValue("id", exceptTaskId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// One page of a poll, newest first, and how many match: tasks with ANY of the skills (none: any),
    /// the reward in range; OPEN takes an IN_PROGRESS task whose lease passed, IN_PROGRESS only live leases.
    /// </summary>
    public Task<(List<TaskSummary> Page, int Total)> Poll(TaskPollFilter filter, IReadOnlyList<string>? skills, DateTimeOffset now)
    {
        var where = $"{AsShown(filter.Status)} AND reward_cents BETWEEN @min AND @max" + (skills is null ? "" : " AND skills && @skills");
        return CountAndPage(where, sql => PollCommand(sql, filter, skills, now), filter.Limit, filter.Offset, now);
    }

    static NpgsqlBatchCommand PollCommand(string sql, TaskPollFilter filter, IReadOnlyList<string>? skills, DateTimeOffset now)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("min", filter.MinRewardCents);
        cmd.Parameters.AddWithValue("max", filter.MaxRewardCents);
        if (skills is not null) cmd.Parameters.Add(new NpgsqlParameter("skills", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = skills.ToArray() });
        return cmd;
    }

    /// <summary>The client's tasks, newest first, and how many there are (<paramref name="status"/>: as the reader sees it).</summary>
    public Task<(List<TaskSummary> Page, int Total)> ListForClient(string clientId, string? status, int limit, int offset, DateTimeOffset now)
    {
        var where = "client_id = @client" + (status is null ? "" : " AND " + AsShown(status));
        NpgsqlBatchCommand Command(string sql)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.AddWithValue("client", clientId);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.Add(PgParameters.Text("status", status));
            return cmd;
        }
        return CountAndPage(where, Command, limit, offset, now);
    }

    /// <summary>
    /// A status as readers see it: OPEN takes an IN_PROGRESS task whose lease passed (its grain may not
    /// have woken yet), IN_PROGRESS only live leases; any other is the stored status (<c>@status</c>).
    /// </summary>
    static string AsShown(string status) => status switch
    {
        TaskStatuses.Open => "(status = 'OPEN' OR (status = 'IN_PROGRESS' AND lease_expires_at <= @now))",
        TaskStatuses.InProgress => "status = 'IN_PROGRESS' AND lease_expires_at > @now",
        _ => "status = @status",
    };

    /// <summary>How many rows match <paramref name="where"/> and one page of them, newest first, in one round trip.</summary>
    async Task<(List<TaskSummary> Page, int Total)> CountAndPage(string where, Func<string, NpgsqlBatchCommand> command, int limit, int offset, DateTimeOffset now)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(command($"SELECT count(*)::int FROM taskboard_tasks WHERE {where}"));
        var page = command($"SELECT {SummaryColumns} FROM taskboard_tasks WHERE {where} ORDER BY created_at DESC, task_id DESC LIMIT @limit OFFSET @offset");
        page.Parameters.AddWithValue("limit", limit);
        page.Parameters.AddWithValue("offset", offset);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = reader.GetInt32(0);
        await reader.NextResultAsync();
        var tasks = new List<TaskSummary>();
        while (await reader.ReadAsync()) tasks.Add(ReadSummary(reader, now));
        return (tasks, total);
    }

    /// <summary>A lapsed lease reads as OPEN with no claimant, whether or not its grain has woken yet.</summary>
    static TaskSummary ReadSummary(NpgsqlDataReader r, DateTimeOffset now)
    {
        var status = TaskRules.Shown(r.GetString(4), r.TimeOrNull(6), now);
        return new TaskSummary(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<string[]>(3), status,
            status == TaskStatuses.Open ? null : r.TextOrNull(5), r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8));
    }

    /// <summary>The tasks due at or before <paramref name="dueBy"/>, the most overdue first (what the sweep wakes).</summary>
    public async Task<List<string>> Due(DateTimeOffset dueBy, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT task_id FROM taskboard_tasks WHERE next_due_at <= @dueBy ORDER BY next_due_at LIMIT @limit");
        cmd.Parameters.AddWithValue("dueBy", dueBy);
        cmd.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}
