using Actors.Grains.Offset;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Offset;

/// <summary>
/// One validated usage event on its way into <c>usage_events</c>. Without <see cref="ReportingAgentId"/>
/// the link grain has already decided the link is usable; with it, the row is appended only if
/// <c>reportable_links</c> has that (link, agent) pair.
/// </summary>
public sealed record UsageRow(
    string LinkId, string SessionId, string Model, long InputTokens, long OutputTokens,
    long CachedInputTokens, long ReasoningTokens, string? ClientEventId, DateTimeOffset ReportedAt,
    string? ReportingAgentId = null);

/// <summary>The <c>usage_events</c> table: appends (batched or single) and the link grain's reads.</summary>
public sealed class UsageEventStore(NpgsqlDataSource db)
{
    public const int MaxSessionsInSummary = 50;
    public const int MaxModelsInSummary = 100;

    // One statement is one transaction: every row of the batch commits together or not at all.
    // Ids come from the sequence inside the statement, so each input row (by ordinality) learns its
    // id; a row whose client event id already exists is skipped and reported as a duplicate; a row
    // with a reporting agent whose (link, agent) is not in reportable_links is skipped as refused.
    // Positional parameters and a prepared statement: the hot path is parsed and planned once per
    // connection, not once per batch (planning this statement cost about as much as inserting 30 rows).
    const string InsertBatchSql = """
        WITH input AS MATERIALIZED (
            SELECT nextval('usage_event_ids') AS event_id, u.*,
                   u.agent_id IS NULL OR EXISTS (
                       SELECT 1 FROM reportable_links r WHERE r.link_id = u.link_id AND r.agent_id = u.agent_id) AS reportable
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],
                        $6::bigint[], $7::bigint[], $8::text[], $9::timestamptz[], $10::text[])
                 WITH ORDINALITY AS u(link_id, session_id, model, input_tokens, output_tokens,
                                      cached_input_tokens, reasoning_tokens, client_event_id, reported_at, agent_id, ord)
        ), inserted AS (
            INSERT INTO usage_events (event_id, link_id, session_id, model, input_tokens, output_tokens,
                                      cached_input_tokens, reasoning_tokens, client_event_id, reported_at)
            SELECT event_id, link_id, session_id, model, input_tokens, output_tokens,
                   cached_input_tokens, reasoning_tokens, client_event_id, reported_at
            FROM input WHERE reportable ORDER BY ord
            ON CONFLICT (link_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING
            RETURNING event_id
        )
        SELECT input.ord, input.event_id, inserted.event_id IS NOT NULL, input.reportable
        FROM input LEFT JOIN inserted USING (event_id)
        """;

    const string InsertOneSql = """
        INSERT INTO usage_events (link_id, session_id, model, input_tokens, output_tokens,
                                  cached_input_tokens, reasoning_tokens, client_event_id, reported_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (link_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING
        RETURNING event_id
        """;

    /// <summary>
    /// Appends the rows in one transaction, on the writer's connection; the result at index i
    /// belongs to rows[i] (null: refused, not reportable).
    /// </summary>
    public async Task<UsageAppend?[]> InsertBatch(NpgsqlConnection connection, IReadOnlyList<UsageRow> rows, CancellationToken ct = default)
    {
        var n = rows.Count;
        var links = new string[n];
        var sessions = new string[n];
        var models = new string[n];
        var inputs = new long[n];
        var outputs = new long[n];
        var cached = new long[n];
        var reasoning = new long[n];
        var clients = new string?[n];
        var times = new DateTimeOffset[n];
        var agents = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            links[i] = r.LinkId;
            sessions[i] = r.SessionId;
            models[i] = r.Model;
            inputs[i] = r.InputTokens;
            outputs[i] = r.OutputTokens;
            cached[i] = r.CachedInputTokens;
            reasoning[i] = r.ReasoningTokens;
            clients[i] = r.ClientEventId;
            times[i] = r.ReportedAt;
            agents[i] = r.ReportingAgentId;
        }

        await using var cmd = new NpgsqlCommand(InsertBatchSql, connection);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = links });
        p.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = sessions });
        p.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = models });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = inputs });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = outputs });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = cached });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = reasoning });
        p.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = clients });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = times });
        p.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = agents });
        // Prepared once per connection (Npgsql keeps it); later calls find it.
        await cmd.PrepareAsync(ct);

        var results = new UsageAppend?[n];
        List<int>? duplicates = null;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var index = (int)reader.GetInt64(0) - 1;
                if (!reader.GetBoolean(3)) continue; // refused: the link grain will decide this one
                var inserted = reader.GetBoolean(2);
                results[index] = new UsageAppend(reader.GetInt64(1), !inserted, rows[index].ReportedAt);
                if (!inserted) (duplicates ??= []).Add(index);
            }
        }
        // Rare: a retried report. Answer with the id and time of the event it repeats.
        if (duplicates is not null)
            foreach (var index in duplicates)
                results[index] = await FindOriginal(connection, rows[index], ct) ?? results[index];
        return results;
    }

    /// <summary>The baseline: one row, one transaction (prepared the same way as the batch); the link grain has decided the link.</summary>
    public async Task<UsageAppend> InsertOne(UsageRow row, CancellationToken ct = default)
    {
        if (row.ReportingAgentId is not null) throw new ArgumentException("A single insert is for rows the link grain has decided", nameof(row));
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(InsertOneSql, connection);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = row.LinkId });
        p.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = row.SessionId });
        p.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = row.Model });
        p.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = row.InputTokens });
        p.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = row.OutputTokens });
        p.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = row.CachedInputTokens });
        p.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = row.ReasoningTokens });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)row.ClientEventId ?? DBNull.Value });
        p.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = row.ReportedAt });
        await cmd.PrepareAsync(ct);
        if (await cmd.ExecuteScalarAsync(ct) is long id) return new UsageAppend(id, false, row.ReportedAt);
        return await FindOriginal(connection, row, ct) ?? throw new InvalidOperationException("A conflicting usage event vanished");
    }

    static async Task<UsageAppend?> FindOriginal(NpgsqlConnection connection, UsageRow row, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand(
            "SELECT event_id, reported_at FROM usage_events WHERE link_id = @link AND client_event_id = @client", connection);
        find.Parameters.AddWithValue("link", row.LinkId);
        find.Parameters.AddWithValue("client", row.ClientEventId!);
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new UsageAppend(reader.GetInt64(0), true, reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>The link is approved for this agent: batched reports may be appended without asking its grain. Idempotent.</summary>
    public async Task AllowReports(string linkId, string agentId)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO reportable_links (link_id, agent_id) VALUES (@link, @agent) ON CONFLICT (link_id) DO NOTHING");
        cmd.Parameters.AddWithValue("link", linkId);
        cmd.Parameters.AddWithValue("agent", agentId);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>From now on every report on the link goes to its grain. Idempotent.</summary>
    public async Task StopReports(string linkId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM reportable_links WHERE link_id = @link");
        cmd.Parameters.AddWithValue("link", linkId);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Events of a link (optionally one session) in report order, after <paramref name="afterEventId"/>.</summary>
    public async Task<(List<UsageEvent> Events, bool HasMore)> Page(string linkId, string? sessionId, long afterEventId, int limit)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT event_id, session_id, model, input_tokens, output_tokens, cached_input_tokens,
                   reasoning_tokens, client_event_id, reported_at
            FROM usage_events
            WHERE link_id = @link AND event_id > @after {(sessionId is null ? "" : "AND session_id = @session")}
            ORDER BY event_id LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("link", linkId);
        cmd.Parameters.AddWithValue("after", afterEventId);
        cmd.Parameters.AddWithValue("limit", limit + 1);
        if (sessionId is not null) cmd.Parameters.AddWithValue("session", sessionId);
        var events = new List<UsageEvent>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add(new UsageEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        var hasMore = events.Count > limit;
        if (hasMore) events.RemoveAt(events.Count - 1);
        return (events, hasMore);
    }

    public async Task<UsageTotals> Totals(string linkId)
    {
        await using var cmd = db.CreateCommand(TotalsSelect + " FROM usage_events WHERE link_id = @link");
        cmd.Parameters.AddWithValue("link", linkId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ReadTotals(reader, 0);
    }

    /// <summary>Totals, per model and the most recent sessions, read in one round trip.</summary>
    public async Task<UsageBreakdown> Breakdown(string linkId)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(TotalsSelect + " FROM usage_events WHERE link_id = @link", linkId));
        batch.BatchCommands.Add(Command($"""
            SELECT model, {TotalsColumns} FROM usage_events WHERE link_id = @link
            GROUP BY model ORDER BY sum(input_tokens + output_tokens + reasoning_tokens) DESC, model LIMIT {MaxModelsInSummary}
            """, linkId));
        batch.BatchCommands.Add(Command($"""
            SELECT session_id, {TotalsColumns}, min(reported_at), max(reported_at), count(*) OVER ()
            FROM usage_events WHERE link_id = @link
            GROUP BY session_id ORDER BY max(event_id) DESC LIMIT {MaxSessionsInSummary}
            """, linkId));
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var totals = ReadTotals(reader, 0);
        await reader.NextResultAsync();
        var models = new List<(string, UsageTotals)>();
        while (await reader.ReadAsync()) models.Add((reader.GetString(0), ReadTotals(reader, 1)));
        await reader.NextResultAsync();
        var sessions = new List<SessionUsage>();
        long sessionCount = 0;
        while (await reader.ReadAsync())
        {
            sessions.Add(new SessionUsage(reader.GetString(0), ReadTotals(reader, 1),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
            sessionCount = reader.GetInt64(8);
        }
        return new UsageBreakdown(totals, models, sessions, sessionCount > sessions.Count);
    }

    const string TotalsColumns = """
        count(*), coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint,
        coalesce(sum(cached_input_tokens), 0)::bigint, coalesce(sum(reasoning_tokens), 0)::bigint
        """;
    const string TotalsSelect = "SELECT " + TotalsColumns;

    static NpgsqlBatchCommand Command(string sql, string linkId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("link", linkId);
        return command;
    }

    static UsageTotals ReadTotals(NpgsqlDataReader reader, int at) =>
        new(reader.GetInt64(at), reader.GetInt64(at + 1), reader.GetInt64(at + 2), reader.GetInt64(at + 3), reader.GetInt64(at + 4));

}

public sealed record UsageAppend(long EventId, bool Duplicate, DateTimeOffset ReportedAt);

public sealed record UsageBreakdown(
    UsageTotals Totals, List<(string Model, UsageTotals Totals)> ByModel, List<SessionUsage> BySession, bool SessionsTruncated);
