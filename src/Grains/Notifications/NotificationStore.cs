using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Notifications;

/// <summary>
/// Reads and marks the <c>notifications</c> inbox (rows written by <see cref="NotificationOutbox"/>).
/// <para>
/// Bounded: each agent keeps its newest <see cref="Kept"/> notifications; read ones older than those
/// are deleted in the same transaction that marks notifications read. Only a mark makes a row read,
/// so pruning there keeps every inbox at <see cref="Kept"/> plus what arrived since its last mark,
/// and costs one walk of that agent's index tail. Unread notifications are never pruned: nothing
/// is lost that the agent has not seen.
/// </para>
/// </summary>
public sealed class NotificationStore(NpgsqlDataSource db)
{
    public const int Kept = 1_000;

    /// <summary>A page newest first (ties by id, so pages never overlap), the count the query matches, and the unread count.</summary>
    public async Task<NotificationPage> List(string agentId, bool unreadOnly, int limit, int offset)
    {
        var filter = unreadOnly ? "AND NOT read" : "";
        await using var batch = db.CreateBatch();
        var page = new NpgsqlBatchCommand($"""
            SELECT notification_id, type, title, body, link, data::text, read, created_at FROM notifications
            WHERE agent_id = $1 {filter}
            ORDER BY created_at DESC, notification_id DESC LIMIT $2 OFFSET $3
            """);
        page.Parameters.Add(new NpgsqlParameter { Value = agentId, NpgsqlDbType = NpgsqlDbType.Text });
        page.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        page.Parameters.Add(new NpgsqlParameter { Value = offset, NpgsqlDbType = NpgsqlDbType.Integer });
        var counts = new NpgsqlBatchCommand("SELECT count(*), count(*) FILTER (WHERE NOT read) FROM notifications WHERE agent_id = $1");
        counts.Parameters.Add(new NpgsqlParameter { Value = agentId, NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(counts);

        var entries = new List<NotificationEntry>();
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            entries.Add(new NotificationEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7)));
        await reader.NextResultAsync();
        await reader.ReadAsync();
        var (all, unread) = (reader.GetInt64(0), reader.GetInt64(1));
        return new NotificationPage(entries, unreadOnly ? unread : all, unread);
    }

    /// <summary>
    /// Marks the agent's unread notifications read — those of <paramref name="ids"/>, or all when it
    /// is null — and prunes the inbox (see the class comment), in one transaction. Ids of other agents'
    /// notifications match nothing. How many were marked.
    /// </summary>
    public async Task<int> MarkRead(string agentId, IReadOnlyList<string>? ids)
    {
        await using var batch = db.CreateBatch();
        var mark = new NpgsqlBatchCommand(ids is null
            ? "UPDATE notifications SET read = true WHERE agent_id = $1 AND NOT read"
            : "UPDATE notifications SET read = true WHERE agent_id = $1 AND NOT read AND notification_id = ANY($2)");
        mark.Parameters.Add(new NpgsqlParameter { Value = agentId, NpgsqlDbType = NpgsqlDbType.Text });
        if (ids is not null) mark.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var prune = new NpgsqlBatchCommand("""
            DELETE FROM notifications WHERE read AND notification_id IN (
                SELECT notification_id FROM notifications WHERE agent_id = $1
                ORDER BY created_at DESC, notification_id DESC OFFSET $2)
            """);
        prune.Parameters.Add(new NpgsqlParameter { Value = agentId, NpgsqlDbType = NpgsqlDbType.Text });
        prune.Parameters.Add(new NpgsqlParameter { Value = Kept, NpgsqlDbType = NpgsqlDbType.Integer });
        batch.BatchCommands.Add(mark);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync();
        return mark.RecordsAffected;
    }
}
