using Actors.Grains.Links;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Storage;

/// <summary>One validated usage event on its way into <c>usage_events</c>.</summary>
public sealed record UsageRow(
    string LinkId, string SessionId, string Model, long InputTokens, long OutputTokens,
    long CachedInputTokens, long ReasoningTokens, string? ClientEventId, DateTimeOffset ReportedAt);

/// <summary>The <c>usage_events</c> table: appends (batched or single) and the link grain's reads.</summary>
public sealed class UsageEventStore(NpgsqlDataSource db)
{
    public const int MaxSessionsInSummary = 50;
    public const int MaxModelsInSummary = 100;

    // One statement is one transaction: every row of the batch commits together or not at all.
    // Ids come from the sequence inside the statement, so each input row (by ordinality) learns its
    // id; a row whose client event id already exists is skipped and reported as a duplicate.
    const string InsertBatchSql = """
        WITH input AS MATERIALIZED (
            SELECT nextval('usage_event_ids') AS event_id, u.*
            FROM unnest(@link::text[], @session::text[], @model::text[], @input::bigint[], @output::bigint[],
                        @cached::bigint[], @reasoning::bigint[], @client::text[], @at::timestamptz[])
                 WITH ORDINALITY AS u(link_id, session_id, model, input_tokens, output_tokens,
                                      cached_input_tokens, reasoning_tokens, client_event_id, reported_at, ord)
        ), inserted AS (
            INSERT INTO usage_events (event_id, link_id, session_id, model, input_tokens, output_tokens,
                                      cached_input_tokens, reasoning_tokens, client_event_id, reported_at)
            SELECT event_id, link_id, session_id, model, input_tokens, output_tokens,
                   cached_input_tokens, reasoning_tokens, client_event_id, reported_at
            FROM input ORDER BY ord
            ON CONFLICT (link_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING
            RETURNING event_id
        )
        SELECT input.ord, input.event_id, inserted.event_id IS NOT NULL
        FROM input LEFT JOIN inserted USING (event_id)
        """;

    /// <summary>Appends the rows in one transaction; the result at index i belongs to rows[i].</summary>
    public async Task<UsageAppend[]> InsertBatch(IReadOnlyList<UsageRow> rows, CancellationToken ct = default)
    {
        var n = rows.Count;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(InsertBatchSql, connection);
        cmd.Parameters.Add(Array("link", NpgsqlDbType.Text, rows.Select(r => (object)r.LinkId)));
        cmd.Parameters.Add(Array("session", NpgsqlDbType.Text, rows.Select(r => (object)r.SessionId)));
        cmd.Parameters.Add(Array("model", NpgsqlDbType.Text, rows.Select(r => (object)r.Model)));
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("input", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = rows.Select(r => r.InputTokens).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("output", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = rows.Select(r => r.OutputTokens).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("cached", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = rows.Select(r => r.CachedInputTokens).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("reasoning", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = rows.Select(r => r.ReasoningTokens).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]>("client", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = rows.Select(r => r.ClientEventId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = rows.Select(r => r.ReportedAt).ToArray() });

        var results = new UsageAppend[n];
        var duplicates = new List<int>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var index = (int)reader.GetInt64(0) - 1;
                var inserted = reader.GetBoolean(2);
                results[index] = new UsageAppend(reader.GetInt64(1), !inserted, rows[index].ReportedAt);
                if (!inserted) duplicates.Add(index);
            }
        }
        // Rare: a retried report. Answer with the id and time of the event it repeats.
        foreach (var index in duplicates)
            results[index] = await FindOriginal(connection, rows[index], ct) ?? results[index];
        return results;
    }

    /// <summary>The baseline: one row, one transaction.</summary>
    public async Task<UsageAppend> InsertOne(UsageRow row, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO usage_events (link_id, session_id, model, input_tokens, output_tokens,
                                      cached_input_tokens, reasoning_tokens, client_event_id, reported_at)
            VALUES (@link, @session, @model, @input, @output, @cached, @reasoning, @client, @at)
            ON CONFLICT (link_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING
            RETURNING event_id
            """, connection);
        cmd.Parameters.AddWithValue("link", row.LinkId);
        cmd.Parameters.AddWithValue("session", row.SessionId);
        cmd.Parameters.AddWithValue("model", row.Model);
        cmd.Parameters.AddWithValue("input", row.InputTokens);
        cmd.Parameters.AddWithValue("output", row.OutputTokens);
        cmd.Parameters.AddWithValue("cached", row.CachedInputTokens);
        cmd.Parameters.AddWithValue("reasoning", row.ReasoningTokens);
        cmd.Parameters.Add(new NpgsqlParameter("client", NpgsqlDbType.Text) { Value = (object?)row.ClientEventId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("at", row.ReportedAt);
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

    static NpgsqlParameter Array(string name, NpgsqlDbType type, IEnumerable<object> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => (string)v).ToArray() };
}

public sealed record UsageAppend(long EventId, bool Duplicate, DateTimeOffset ReportedAt);

public sealed record UsageBreakdown(
    UsageTotals Totals, List<(string Model, UsageTotals Totals)> ByModel, List<SessionUsage> BySession, bool SessionsTruncated);
