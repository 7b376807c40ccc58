using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Market;

/// <summary>The <c>market_services</c> read model: written by each service grain, searched by the search grain.</summary>
public sealed class ServiceStore(NpgsqlDataSource db)
{
    static readonly JsonSerializerOptions TierJson = new(JsonSerializerDefaults.Web);

    const string Columns = """
        s.service_id, s.agent_id, s.title, s.description, s.category, s.tags, s.tiers, s.type,
        s.monthly_price_cents, s.run_interval_hours, s.active, s.deleted, s.created_at, s.updated_at
        """;

    /// <summary>
    /// Writes the service's row as <paramref name="listing"/> has it; a row that already agrees is
    /// not written again (so a resync on activation costs one read). True when a row was written.
    /// </summary>
    public async Task<bool> Upsert(ServiceListing listing)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO market_services AS m
                (service_id, agent_id, title, description, category, category_key, tags, tag_keys, tiers, type,
                 price_cents, monthly_price_cents, run_interval_hours, active, deleted, created_at, updated_at)
            VALUES (@id, @agent, @title, @description, @category, lower(@category), @tags, @tagKeys, @tiers, @type,
                    @price, @monthly, @interval, @active, @deleted, @created, @updated)
            ON CONFLICT (service_id) DO UPDATE SET
                title = EXCLUDED.title, description = EXCLUDED.description, category = EXCLUDED.category,
                category_key = EXCLUDED.category_key, tags = EXCLUDED.tags, tag_keys = EXCLUDED.tag_keys,
                tiers = EXCLUDED.tiers, price_cents = EXCLUDED.price_cents,
                monthly_price_cents = EXCLUDED.monthly_price_cents, run_interval_hours = EXCLUDED.run_interval_hours,
                active = EXCLUDED.active, deleted = EXCLUDED.deleted, updated_at = EXCLUDED.updated_at
            WHERE (m.title, m.description, m.category, m.tags, m.tiers, m.price_cents, m.monthly_price_cents,
                   m.run_interval_hours, m.active, m.deleted, m.updated_at)
                  IS DISTINCT FROM
                  (EXCLUDED.title, EXCLUDED.description, EXCLUDED.category, EXCLUDED.tags, EXCLUDED.tiers, EXCLUDED.price_cents,
                   EXCLUDED.monthly_price_cents, EXCLUDED.run_interval_hours, EXCLUDED.active, EXCLUDED.deleted, EXCLUDED.updated_at)
            """);
        cmd.Parameters.AddWithValue("id", listing.Id);
        cmd.Parameters.AddWithValue("agent", listing.AgentId);
        cmd.Parameters.AddWithValue("title", listing.Title);
        cmd.Parameters.AddWithValue("description", listing.Description);
        cmd.Parameters.AddWithValue("category", listing.Category);
        cmd.Parameters.AddWithValue("tags", listing.Tags.ToArray());
        cmd.Parameters.AddWithValue("tagKeys", listing.Tags.Select(t => t.ToLowerInvariant()).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("tiers", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(listing.Tiers, TierJson) });
        cmd.Parameters.AddWithValue("type", listing.Type);
        cmd.Parameters.AddWithValue("price", listing.PriceCents());
        cmd.Parameters.Add(new NpgsqlParameter("monthly", NpgsqlDbType.Bigint) { Value = (object?)listing.MonthlyPriceCents ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("interval", NpgsqlDbType.Integer) { Value = (object?)listing.RunIntervalHours ?? DBNull.Value });
        cmd.Parameters.AddWithValue("active", listing.Active);
        cmd.Parameters.AddWithValue("deleted", listing.Deleted);
        cmd.Parameters.AddWithValue("created", listing.CreatedAt);
        cmd.Parameters.AddWithValue("updated", listing.UpdatedAt);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Removes the row (undoing a create that failed after it); a missing row is fine.</summary>
    public async Task Delete(string serviceId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM market_services WHERE service_id = @id");
        cmd.Parameters.AddWithValue("id", serviceId);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<ServiceListing>> OfAgent(string agentId)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM market_services s
            WHERE s.agent_id = @agent AND NOT s.deleted
            ORDER BY s.created_at, s.service_id
            """);
        cmd.Parameters.AddWithValue("agent", agentId);
        var listings = new List<ServiceListing>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) listings.Add(ReadListing(reader));
        return listings;
    }

    /// <summary>One page of live services; the query's values are already checked (see <see cref="ServiceSearchGrain"/>).</summary>
    public async Task<ServicePage> Search(ServiceQuery query, ServiceFilter filter, int limit, DirectoryCursor? cursor)
    {
        var filters = new List<string> { "s.active", "NOT s.deleted" };
        var parameters = new List<NpgsqlParameter>();
        if (!string.IsNullOrWhiteSpace(query.Query))
        {
            filters.Add("(s.title ILIKE @q ESCAPE '\\' OR s.description ILIKE @q ESCAPE '\\')");
            parameters.Add(new("q", Like(query.Query)));
        }
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            filters.Add("s.category_key = @category");
            parameters.Add(new("category", query.Category.Trim().ToLowerInvariant()));
        }
        if (filter.Tags.Count > 0)
        {
            filters.Add("s.tag_keys @> @tags");
            parameters.Add(new("tags", filter.Tags.ToArray()));
        }
        if (query.MinRating is { } minRating)
        {
            filters.Add("d.rating >= @minRating");
            parameters.Add(new("minRating", minRating));
        }
        if (filter.MaxPriceCents is { } maxPrice)
        {
            filters.Add("s.price_cents <= @maxPrice");
            parameters.Add(new("maxPrice", maxPrice));
        }
        if (!string.IsNullOrWhiteSpace(query.AgentName))
        {
            filters.Add("d.name ILIKE @agentName ESCAPE '\\'");
            parameters.Add(new("agentName", Like(query.AgentName)));
        }

        var where = string.Join(" AND ", filters);
        var offset = cursor is null ? query.Offset ?? 0 : 0;
        const string From = "market_services s JOIN agent_directory d ON d.agent_id = s.agent_id";

        await using var connection = await db.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {From} WHERE {where}", connection);
        count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var total = (int)(long)(await count.ExecuteScalarAsync())!;

        var pageWhere = where;
        await using var page = new NpgsqlCommand { Connection = connection };
        page.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        if (cursor is not null)
        {
            // Keyset paging over the newest-first order: stable under inserts, unlike offsets.
            pageWhere += " AND (s.created_at, s.service_id) < (@cursorAt, @cursorId)";
            page.Parameters.Add(new("cursorAt", NpgsqlDbType.TimestampTz) { Value = cursor.CreatedAt });
            page.Parameters.AddWithValue("cursorId", cursor.AgentId);
        }
        var order = filter.Sort switch
        {
            ServiceSorts.PriceLow => "s.price_cents ASC, s.created_at DESC, s.service_id DESC",
            ServiceSorts.PriceHigh => "s.price_cents DESC, s.created_at DESC, s.service_id DESC",
            ServiceSorts.Rating => "d.rating DESC, s.created_at DESC, s.service_id DESC",
            _ => "s.created_at DESC, s.service_id DESC",
        };
        page.CommandText = $"""
            SELECT {Columns}, d.name, d.rating, d.status
            FROM {From} WHERE {pageWhere}
            ORDER BY {order}
            LIMIT @limit OFFSET @offset
            """;
        page.Parameters.AddWithValue("limit", limit + 1);
        page.Parameters.AddWithValue("offset", offset);

        var items = new List<ServiceHit>();
        var hasMore = false;
        await using (var reader = await page.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (items.Count == limit) { hasMore = true; break; }
                items.Add(new ServiceHit(ReadListing(reader), reader.GetString(14), reader.GetDouble(15),
                    reader.GetString(16) == Identity.AgentStatus.Active));
            }
        }
        var next = hasMore && filter.Sort == ServiceSorts.Newest
            ? new DirectoryCursor(items[^1].Listing.CreatedAt, items[^1].Listing.Id).Format()
            : null;
        return new ServicePage(items, total, limit, offset, hasMore, next);
    }

    static ServiceListing ReadListing(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetFieldValue<string[]>(5),
        JsonSerializer.Deserialize<List<ServiceTier>>(r.GetString(6), TierJson) ?? [],
        r.GetString(7),
        r.IsDBNull(8) ? null : r.GetInt64(8),
        r.IsDBNull(9) ? null : r.GetInt32(9),
        r.GetBoolean(10), r.GetBoolean(11),
        r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13));

    static string Like(string text) => "%" + AgentDirectoryStore.EscapeLike(text.Trim()) + "%";
}
