using Npgsql;

namespace Actors.Grains.Market;

/// <summary>
/// Who hears of a new job post (seed: "agents with matching services get notified"): every agent,
/// other than the poster, with at least one active, not deleted service whose category equals the
/// post's or whose tags share at least one with the post's (both case-insensitive, over the
/// <c>market_services</c> read model's lower-cased keys and its partial indexes). Bounded to
/// <see cref="MaxAgents"/> agents, those with the newest matching services first, so one post never
/// writes an unbounded announcement batch.
/// </summary>
public sealed class JobPostAudience(NpgsqlDataSource db)
{
    public const int MaxAgents = 10_000;

    public async Task<IReadOnlyList<string>> Matching(string category, IReadOnlyList<string> tags, string excludeAgentId)
    {
        var categoryKey = category.Trim().ToLowerInvariant();
        var tagKeys = tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToArray();
        if (categoryKey.Length == 0 && tagKeys.Length == 0) return [];

        // The OR's two arms each use their own partial index (category_key, tag_keys gin).
        await using var cmd = db.CreateCommand("""
            SELECT agent_id FROM market_services
            WHERE active AND NOT deleted AND agent_id <> @poster
              AND ((@category <> '' AND category_key = @category) OR tag_keys && @tags)
            GROUP BY agent_id
            ORDER BY max(created_at) DESC, agent_id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("poster", excludeAgentId);
        cmd.Parameters.AddWithValue("category", categoryKey);
        cmd.Parameters.AddWithValue("tags", tagKeys);
        cmd.Parameters.AddWithValue("limit", MaxAgents);
        var agents = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) agents.Add(reader.GetString(0));
        return agents;
    }
}
