using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.DirectMessages;

/// <summary>
/// The DM tables (<c>dm_messages</c>, <c>dm_conversations</c>, schema 0720). Written only by the
/// conversation's grain; the front grain reads the directory and an agent's conversation list here.
/// </summary>
public sealed class DirectMessageStore(NpgsqlDataSource db)
{
    /// <summary>What the conversation's grain keeps of one side: its unread count and when its owner was last emailed.</summary>
    public sealed record Side(int Unread, DateTimeOffset? OwnerEmailedAt);

    /// <summary>
    /// The asking agent's directory row and the listed agents that <paramref name="other"/> may name
    /// (by id, or by name in any case), in one query: those that win first (see
    /// <see cref="DirectMessageRules.Pick"/>), enough of them to tell one match from two.
    /// </summary>
    public async Task<(DmParticipant? Self, List<DmParticipant> Matches)> Match(string selfId, string other)
    {
        await using var cmd = db.CreateCommand("""
            SELECT agent_id, name FROM agent_directory
            WHERE agent_id = $1 OR (listed AND (agent_id = $2 OR lower(name) = lower($2)))
            ORDER BY agent_id = $1 DESC, agent_id = $2 DESC, name = $2 DESC, agent_id
            LIMIT 4
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = selfId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = other.Trim(), NpgsqlDbType = NpgsqlDbType.Text });
        DmParticipant? self = null;
        var matches = new List<DmParticipant>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new DmParticipant(reader.GetString(0), reader.GetString(1));
            if (row.Id == selfId) self = row;
            matches.Add(row);
        }
        return (self, matches);
    }

    /// <summary>Both sides' rows of the conversation index (none before the first message).</summary>
    public async Task<Dictionary<string, Side>> Sides(string conversationId)
    {
        await using var cmd = db.CreateCommand(
            "SELECT agent_id, unread_count, owner_emailed_at FROM dm_conversations WHERE conversation_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = conversationId, NpgsqlDbType = NpgsqlDbType.Text });
        var sides = new Dictionary<string, Side>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sides[reader.GetString(0)] = new Side(reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        return sides;
    }

    /// <summary>
    /// One transaction: the message, both sides' index rows (their counts as the grain computed
    /// them) and <paramref name="alsoCommit"/> (the <c>dm.received</c> event, the owner's email when due), all or nothing.
    /// </summary>
    public async Task Send(DirectMessage message, Side sender, Side recipient, IReadOnlyList<NpgsqlBatchCommand> alsoCommit)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO dm_messages (message_id, conversation_id, sender_id, sender_name, recipient_id, recipient_name, content, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        Add(insert, message.Id, message.ConversationId, message.From.Id, message.From.Name, message.To.Id, message.To.Name, message.Content);
        insert.Parameters.Add(new NpgsqlParameter { Value = message.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(insert);

        // The two rows in one statement; last_seq is the message's own, read back from the insert above.
        var index = new NpgsqlBatchCommand("""
            INSERT INTO dm_conversations (agent_id, conversation_id, other_id, other_name, last_message, last_from_me, last_at, last_seq, unread_count, owner_emailed_at)
            SELECT v.agent, $2, v.other, v.other_name, $3, v.from_me, $4, m.seq, v.unread, v.emailed
            FROM unnest($5::text[], $6::text[], $7::text[], $8::boolean[], $9::integer[], $10::timestamptz[])
                 AS v(agent, other, other_name, from_me, unread, emailed)
            CROSS JOIN (SELECT seq FROM dm_messages WHERE message_id = $1) m
            ON CONFLICT (agent_id, conversation_id) DO UPDATE SET
                other_name = EXCLUDED.other_name, last_message = EXCLUDED.last_message, last_from_me = EXCLUDED.last_from_me,
                last_at = EXCLUDED.last_at, last_seq = EXCLUDED.last_seq, unread_count = EXCLUDED.unread_count,
                owner_emailed_at = EXCLUDED.owner_emailed_at
            """);
        Add(index, message.Id, message.ConversationId, message.Content);
        index.Parameters.Add(new NpgsqlParameter { Value = message.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        index.Parameters.Add(Array(NpgsqlDbType.Text, message.From.Id, message.To.Id));
        index.Parameters.Add(Array(NpgsqlDbType.Text, message.To.Id, message.From.Id));
        index.Parameters.Add(Array(NpgsqlDbType.Text, message.To.Name, message.From.Name));
        index.Parameters.Add(Array(NpgsqlDbType.Boolean, true, false));
        index.Parameters.Add(Array(NpgsqlDbType.Integer, sender.Unread, recipient.Unread));
        index.Parameters.Add(Array(NpgsqlDbType.TimestampTz, sender.OwnerEmailedAt, recipient.OwnerEmailedAt));
        batch.BatchCommands.Add(index);

        foreach (var command in alsoCommit) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Marks the messages to <paramref name="readerId"/> read and zeroes its unread count, in one transaction.</summary>
    public async Task MarkRead(string conversationId, string readerId, DateTimeOffset now)
    {
        await using var batch = db.CreateBatch();
        var messages = new NpgsqlBatchCommand(
            "UPDATE dm_messages SET read_at = $3 WHERE conversation_id = $1 AND recipient_id = $2 AND read_at IS NULL");
        Add(messages, conversationId, readerId);
        messages.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(messages);
        var index = new NpgsqlBatchCommand(
            "UPDATE dm_conversations SET unread_count = 0 WHERE conversation_id = $1 AND agent_id = $2 AND unread_count <> 0");
        Add(index, conversationId, readerId);
        batch.BatchCommands.Add(index);
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Whether <paramref name="messageId"/> is a message of this conversation (a <c>before</c> cursor must be).</summary>
    public async Task<bool> HasMessage(string conversationId, string messageId)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM dm_messages WHERE message_id = $1 AND conversation_id = $2");
        Add(cmd.Parameters, messageId, conversationId);
        return await cmd.ExecuteScalarAsync() is not null;
    }

    /// <summary>
    /// The newest <paramref name="limit"/> messages (older than <paramref name="before"/> when given),
    /// returned oldest first, and whether older ones remain.
    /// </summary>
    public async Task<(List<DirectMessage> Messages, bool HasMore)> Page(string conversationId, int limit, string? before)
    {
        await using var cmd = db.CreateCommand("""
            SELECT message_id, sender_id, sender_name, recipient_id, recipient_name, content, read_at IS NOT NULL, created_at
            FROM dm_messages
            WHERE conversation_id = $1 AND ($2::text IS NULL OR seq < (SELECT seq FROM dm_messages WHERE message_id = $2))
            ORDER BY seq DESC LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = conversationId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit + 1, NpgsqlDbType = NpgsqlDbType.Integer });
        var messages = new List<DirectMessage>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            messages.Add(new DirectMessage(reader.GetString(0), conversationId,
                new DmParticipant(reader.GetString(1), reader.GetString(2)), new DmParticipant(reader.GetString(3), reader.GetString(4)),
                reader.GetString(5), reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7)));
        var hasMore = messages.Count > limit;
        if (hasMore) messages.RemoveAt(messages.Count - 1);
        messages.Reverse();
        return (messages, hasMore);
    }

    /// <summary>The agent's conversations, the one with the newest message first.</summary>
    public async Task<List<ConversationSummary>> Conversations(string agentId, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT conversation_id, other_id, other_name, last_message, last_from_me, last_at, unread_count
            FROM dm_conversations WHERE agent_id = $1 ORDER BY last_seq DESC LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = agentId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        var list = new List<ConversationSummary>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add(new ConversationSummary(reader.GetString(0), new DmParticipant(reader.GetString(1), reader.GetString(2)), null,
                reader.GetString(3), reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6)));
        return list;
    }

    static void Add(NpgsqlBatchCommand command, params string[] texts) => Add(command.Parameters, texts);

    static void Add(NpgsqlParameterCollection parameters, params string[] texts)
    {
        foreach (var text in texts) parameters.Add(new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text });
    }

    static NpgsqlParameter Array<T>(NpgsqlDbType type, params T[] values) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
