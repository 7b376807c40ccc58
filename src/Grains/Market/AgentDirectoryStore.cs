using Actors.Grains.Market;
using Actors.Grains.Identity;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Market;

/// <summary>The <c>agent_directory</c> read model: written by each agent grain, searched by the directory grain.</summary>
public sealed class AgentDirectoryStore(NpgsqlDataSource db)
{
    static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Writes the agent's row (idempotent: the same state written twice is one row); false when its
    /// referral code belongs to another agent. The referral code of an existing row never changes.
    /// </summary>
    public async Task<bool> Upsert(string agentId, AgentState agent, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO agent_directory
                (agent_id, name, description, status, rating, jobs_completed, active_services, tags, referral_code, listed,
                 categories, services, referred_by, created_at, updated_at)
            VALUES (@id, @name, @description, @status, @rating, @jobs, @services, @tags, @referral, @listed,
                    @categories, @serviceList, @referredBy, @created, @now)
            ON CONFLICT (agent_id) DO UPDATE SET
                name = EXCLUDED.name, description = EXCLUDED.description, status = EXCLUDED.status,
                rating = EXCLUDED.rating, jobs_completed = EXCLUDED.jobs_completed,
                active_services = EXCLUDED.active_services, tags = EXCLUDED.tags, listed = EXCLUDED.listed,
                categories = EXCLUDED.categories, services = EXCLUDED.services, referred_by = EXCLUDED.referred_by,
                updated_at = EXCLUDED.updated_at
            """);
        AddRow(cmd, agentId, agent, now);
        cmd.Parameters.AddWithValue("referral", agent.ReferralCode);
        cmd.Parameters.AddWithValue("created", agent.CreatedAt);
        try
        {
            await cmd.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "agent_directory_referral_code")
        {
            return false;
        }
    }

    /// <summary>
    /// Brings an existing row back to what the agent's stored state says, when they differ (a row
    /// written ahead of a state write that then failed); a row that already agrees is not written,
    /// and a missing row is not created. True when a row was corrected.
    /// </summary>
    public async Task<bool> Resync(string agentId, AgentState agent, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE agent_directory SET
                name = @name, description = @description, status = @status, rating = @rating, jobs_completed = @jobs,
                active_services = @services, tags = @tags, listed = @listed,
                categories = @categories, services = @serviceList, referred_by = @referredBy, updated_at = @now
            WHERE agent_id = @id
              AND (name, description, status, rating, jobs_completed, active_services, tags, listed, categories, services, referred_by)
                  IS DISTINCT FROM (@name, @description, @status, @rating, @jobs, @services, @tags, @listed, @categories, @serviceList, @referredBy)
            """);
        AddRow(cmd, agentId, agent, now);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Removes the agent's row (undoing a registration that failed after it); a missing row is fine.</summary>
    public async Task Delete(string agentId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM agent_directory WHERE agent_id = @id");
        cmd.Parameters.AddWithValue("id", agentId);
        await cmd.ExecuteNonQueryAsync();
    }

    static void AddRow(NpgsqlCommand cmd, string agentId, AgentState agent, DateTimeOffset now)
    {
        cmd.Parameters.AddWithValue("id", agentId);
        cmd.Parameters.AddWithValue("name", agent.Name!);
        cmd.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text) { Value = (object?)agent.Description ?? DBNull.Value });
        cmd.Parameters.AddWithValue("status", agent.Status);
        cmd.Parameters.AddWithValue("rating", agent.Rating);
        cmd.Parameters.AddWithValue("jobs", agent.JobsCompleted);
        cmd.Parameters.AddWithValue("services", agent.ActiveServices);
        cmd.Parameters.AddWithValue("tags", agent.Tags.ToArray());
        cmd.Parameters.AddWithValue("listed", agent.ListedInDirectory);
        // What the directory filters (category) and lists (services) of the agent: its live services.
        var live = agent.Services.Where(s => s.Active).ToList();
        cmd.Parameters.AddWithValue("categories", live.Select(s => s.Category.ToLowerInvariant()).Distinct().ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("serviceList", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(live.Select(s => new DirectoryService(s.Id, s.Title, s.PriceCents)), RowJson),
        });
        cmd.Parameters.Add(new NpgsqlParameter("referredBy", NpgsqlDbType.Text) { Value = (object?)agent.ReferredBy ?? DBNull.Value });
        cmd.Parameters.AddWithValue("now", now);
    }

    public async Task<string?> FindByReferralCode(string referralCode)
    {
        await using var cmd = db.CreateCommand("SELECT agent_id FROM agent_directory WHERE referral_code = @code");
        cmd.Parameters.AddWithValue("code", referralCode);
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task<DirectoryPage> Search(DirectorySearch search, int limit, DirectoryCursor? cursor)
    {
        var filters = new List<string> { "listed", "status = 'ACTIVE'" };
        var parameters = new List<NpgsqlParameter>();
        if (!string.IsNullOrWhiteSpace(search.Query))
        {
            filters.Add("name ILIKE @q ESCAPE '\\'");
            parameters.Add(new("q", "%" + EscapeLike(search.Query.Trim()) + "%"));
        }
        if (!string.IsNullOrWhiteSpace(search.Category))
        {
            filters.Add("@category = ANY(categories)");
            parameters.Add(new("category", search.Category.Trim().ToLowerInvariant()));
        }
        if (search.MinRating is { } minRating)
        {
            filters.Add("rating >= @minRating");
            parameters.Add(new("minRating", minRating));
        }
        if (search.MinJobs is { } minJobs)
        {
            filters.Add("jobs_completed >= @minJobs");
            parameters.Add(new("minJobs", minJobs));
        }
        if (search.HasServices is { } hasServices)
            filters.Add(hasServices ? "active_services > 0" : "active_services = 0");

        var where = string.Join(" AND ", filters);
        var offset = cursor is null ? search.Offset ?? 0 : 0;

        await using var connection = await db.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM agent_directory WHERE {where}", connection);
        count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var total = (int)(long)(await count.ExecuteScalarAsync())!;

        var pageWhere = where;
        await using var page = new NpgsqlCommand { Connection = connection };
        page.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        if (cursor is not null)
        {
            // Keyset paging: stable under inserts, unlike offsets.
            pageWhere += " AND (created_at, agent_id) < (@cursorAt, @cursorId)";
            page.Parameters.Add(new("cursorAt", NpgsqlDbType.TimestampTz) { Value = cursor.CreatedAt });
            page.Parameters.AddWithValue("cursorId", cursor.AgentId);
        }
        page.CommandText = $"""
            SELECT agent_id, name, description, rating, jobs_completed, active_services, status, created_at, services
            FROM agent_directory WHERE {pageWhere}
            ORDER BY created_at DESC, agent_id DESC
            LIMIT @limit OFFSET @offset
            """;
        page.Parameters.AddWithValue("limit", limit + 1);
        page.Parameters.AddWithValue("offset", offset);

        var items = new List<DirectoryEntry>();
        DirectoryCursor? last = null;
        var hasMore = false;
        await using (var reader = await page.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (items.Count == limit) { hasMore = true; break; }
                var id = reader.GetString(0);
                items.Add(new DirectoryEntry(
                    id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetDouble(3), reader.GetInt32(4), reader.GetString(6) == AgentStatus.Active,
                    reader.GetInt32(5), Services(reader.GetString(8))));
                last = new DirectoryCursor(reader.GetFieldValue<DateTimeOffset>(7), id);
            }
        }
        return new DirectoryPage(items, total, limit, offset, hasMore, hasMore ? last!.Format() : null);
    }

    // Most agents list no service: their '[]' costs no JSON parse on the directory's hot path.
    static IReadOnlyList<DirectoryService> Services(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<List<DirectoryService>>(json, RowJson) ?? [];

    /// <summary>A text matched literally by LIKE/ILIKE ... ESCAPE '\\'.</summary>
    internal static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
