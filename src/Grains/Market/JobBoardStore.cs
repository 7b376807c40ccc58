using Actors.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Market;

/// <summary>
/// Searches the <c>market_job_posts</c> read model (written by each post's <c>JobPostGrain</c>).
/// A row still OPEN whose deadline has passed (its grain has not caught up yet) counts as CLOSED:
/// the status filter goes by the deadline too, and <see cref="JobPostRow.Stale"/> says so.
/// </summary>
public sealed class JobBoardStore(NpgsqlDataSource db)
{
    const string From = "market_job_posts p LEFT JOIN agent_directory d ON d.agent_id = p.poster_id";

    /// <summary>One page, newest first, and the total of the same filter (checked by <see cref="JobBoardGrain.Check"/>).</summary>
    public async Task<(IReadOnlyList<JobPostRow> Rows, int Total)> Search(JobPostFilter filter, DateTimeOffset now)
    {
        var filters = new List<string>();
        var parameters = new List<NpgsqlParameter> { new("now", NpgsqlDbType.TimestampTz) { Value = now } };
        filters.Add(filter.Status == JobPostStatus.Open
            ? "p.status = 'OPEN' AND (p.deadline IS NULL OR p.deadline > @now)"
            : "(p.status = 'CLOSED' OR (p.status = 'OPEN' AND p.deadline <= @now))");
        if (filter.Q is { } q)
        {
            filters.Add("""
                (p.title ILIKE @q ESCAPE '\' OR p.description ILIKE @q ESCAPE '\'
                 OR EXISTS (SELECT 1 FROM unnest(p.tags) t WHERE t ILIKE @q ESCAPE '\'))
                """);
            parameters.Add(new("q", "%" + AgentDirectoryStore.EscapeLike(q) + "%"));
        }
        if (filter.Category is { } category)
        {
            // Both lower-cased: the post's by JobPostRules, the filter's by Check.
            filters.Add("p.category = @category");
            parameters.Add(new("category", category));
        }
        if (filter.Tags.Count > 0)
        {
            // Posts store their tags lower-cased (JobPostRules); the gin index answers &&.
            filters.Add("p.tags && @tags");
            parameters.Add(new("tags", filter.Tags.ToArray()));
        }
        var where = string.Join(" AND ", filters);

        // The page and the total in one round trip: a count(*) OVER () would say 0 past the last page.
        await using var batch = db.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM market_job_posts p WHERE {where}");
        count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var page = new NpgsqlBatchCommand($"""
            SELECT p.post_id, p.title, p.description, p.category, p.tags, p.budget_cents, p.deadline,
                   p.instant_accept_cents, p.multi_bid, p.max_accepted_bids, p.status, p.poster_id, p.poster_name,
                   p.poster_avatar_url, coalesce(d.rating, 0), p.bid_count, p.accepted_count,
                   p.created_at, p.updated_at, p.closed_at
            FROM {From} WHERE {where}
            ORDER BY p.created_at DESC, p.post_id DESC
            LIMIT @limit OFFSET @offset
            """);
        page.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        page.Parameters.AddWithValue("limit", filter.Limit);
        page.Parameters.AddWithValue("offset", filter.Offset);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);

        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync();
        var rows = new List<JobPostRow>();
        while (await reader.ReadAsync())
        {
            var view = Read(reader);
            rows.Add(new JobPostRow(view, view.Status == JobPostStatus.Open && view.Deadline is { } deadline && deadline <= now));
        }
        return (rows, total);
    }

    static JobPostView Read(NpgsqlDataReader r)
    {
        var instant = r.IsDBNull(7) ? (long?)null : r.GetInt64(7);
        return new JobPostView(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4),
            r.GetInt64(5),
            r.TimeOrNull(6),
            instant, r.GetBoolean(8), r.GetInt32(9), r.GetString(10),
            instant is null ? AuctionModes.Standard : AuctionModes.Instant,
            r.GetString(11), r.GetString(12), r.TextOrNull(13), r.GetDouble(14),
            r.GetInt32(15), r.GetInt32(16),
            r.GetFieldValue<DateTimeOffset>(17), r.GetFieldValue<DateTimeOffset>(18),
            r.TimeOrNull(19));
    }
}
