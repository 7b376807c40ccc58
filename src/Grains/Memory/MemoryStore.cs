using Actors.Grains.Memory;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Memory;

/// <summary>
/// The <c>memories</c> and <c>machine_api_calls</c> tables. Every statement is scoped by
/// <c>machine_id</c>: a memory id from another machine simply matches no row.
/// </summary>
public sealed class MemoryStore(NpgsqlDataSource db)
{
    const string Columns = "memory_id, project_id, content, metadata::text, agent_id, created_at";

    public async Task<MemoryItem> Insert(string machineId, string agentId, string projectId, string content, string metadataJson, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO memories (memory_id, machine_id, project_id, agent_id, content, metadata, size_bytes, created_at)
            VALUES (@id, @machine, @project, @agent, @content, @metadata::jsonb, octet_length(@content) + octet_length(@metadata), @now)
            RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("id", Identity.RandomToken.Id("mem"));
        cmd.Parameters.AddWithValue("machine", machineId);
        cmd.Parameters.AddWithValue("project", projectId);
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("content", content);
        cmd.Parameters.AddWithValue("metadata", metadataJson);
        cmd.Parameters.AddWithValue("now", now);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Read(reader);
    }

    public async Task<MemoryItem?> Find(string machineId, string memoryId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM memories WHERE machine_id = @machine AND memory_id = @id");
        cmd.Parameters.AddWithValue("machine", machineId);
        cmd.Parameters.AddWithValue("id", memoryId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<MemoryItem?> Delete(string machineId, string memoryId)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM memories WHERE machine_id = @machine AND memory_id = @id RETURNING {Columns}");
        cmd.Parameters.AddWithValue("machine", machineId);
        cmd.Parameters.AddWithValue("id", memoryId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Newest first; with a query, best match first (websearch syntax: words, "phrases", -not, or).</summary>
    public async Task<MemoryPage> Search(string machineId, string? projectId, string? query, int limit, int offset)
    {
        var where = "machine_id = @machine";
        if (projectId is not null) where += " AND project_id = @project";
        var hasQuery = !string.IsNullOrWhiteSpace(query);
        if (hasQuery) where += " AND search @@ websearch_to_tsquery('english', @q)";
        var order = hasQuery ? "ts_rank(search, websearch_to_tsquery('english', @q)) DESC, created_at DESC, memory_id DESC" : "created_at DESC, memory_id DESC";

        await using var connection = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns}, count(*) OVER () FROM memories WHERE {where}
            ORDER BY {order} LIMIT @limit OFFSET @offset
            """, connection);
        cmd.Parameters.AddWithValue("machine", machineId);
        if (projectId is not null) cmd.Parameters.AddWithValue("project", projectId);
        if (hasQuery) cmd.Parameters.AddWithValue("q", query!.Trim());
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);
        var items = new List<MemoryItem>();
        long total = -1;
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                items.Add(Read(reader));
                total = reader.GetInt64(6);
            }
        }
        if (total < 0)
        {
            // The page is past the end (or empty): count separately.
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM memories WHERE {where}", connection);
            count.Parameters.AddWithValue("machine", machineId);
            if (projectId is not null) count.Parameters.AddWithValue("project", projectId);
            if (hasQuery) count.Parameters.AddWithValue("q", query!.Trim());
            total = (long)(await count.ExecuteScalarAsync())!;
        }
        return new MemoryPage(items, total, limit, offset);
    }

    public async Task<IReadOnlyList<ProjectSummary>> Projects(string machineId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT project_id, count(*), max(created_at) FROM memories WHERE machine_id = @machine
            GROUP BY project_id ORDER BY project_id
            """);
        cmd.Parameters.AddWithValue("machine", machineId);
        var projects = new List<ProjectSummary>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            projects.Add(new ProjectSummary(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return projects;
    }

    public async Task<(long Memories, long Projects, long Bytes)> Totals(string machineId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(*),
                   -- the default project always exists, as GET /projects lists it
                   count(DISTINCT project_id) + CASE WHEN bool_or(project_id = 'default') THEN 0 ELSE 1 END,
                   coalesce(sum(size_bytes), 0)::bigint
            FROM memories WHERE machine_id = @machine
            """);
        cmd.Parameters.AddWithValue("machine", machineId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task CountCall(string machineId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO machine_api_calls (machine_id, hour, calls) VALUES (@machine, @hour, 1)
            ON CONFLICT (machine_id, hour) DO UPDATE SET calls = machine_api_calls.calls + 1;
            -- Keeps at most two days of buckets per machine: the table stays bounded.
            DELETE FROM machine_api_calls WHERE machine_id = @machine AND hour < @hour - interval '48 hours';
            """);
        cmd.Parameters.AddWithValue("machine", machineId);
        cmd.Parameters.Add(new NpgsqlParameter("hour", NpgsqlDbType.TimestampTz) { Value = Hour(now) });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Calls in the 24 hourly buckets ending with the current one.</summary>
    public async Task<long> CallsInLastDay(string machineId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            SELECT coalesce(sum(calls), 0)::bigint FROM machine_api_calls WHERE machine_id = @machine AND hour > @since AND hour <= @now
            """);
        cmd.Parameters.AddWithValue("machine", machineId);
        cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = Hour(now) - TimeSpan.FromHours(24) });
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    static DateTimeOffset Hour(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    static MemoryItem Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5));
}
