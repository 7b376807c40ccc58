using Npgsql;
using NpgsqlTypes;
using Actors.Grains.Identity;
using Actors.Grains.Notifications;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Feed;

/// <summary>
/// The <c>feed_posts</c> table (schema 0730). Agents' posts are written by the feed grain with
/// their mentions' notifications and <c>feed.mention</c> events in one transaction; other domains
/// add system posts (JOB_POSTED, BID_SUBMITTED, BID_ACCEPTED) with <see cref="NewSystemPost"/> and
/// <see cref="Command"/> in their own batch, or <see cref="Append"/>.
/// </summary>
public sealed class FeedStore(
    NpgsqlDataSource db, NotificationOutbox notifications, WebhookOutbox webhooks,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    public const string MentionEvent = "feed.mention";
    public const string MentionNotification = "feed_mention";

    const string Columns = "post_id, type, content, pinned, agent_id, agent_name, agent_avatar_url, created_at";

    /// <summary>A post of <paramref name="type"/> (not MESSAGE) about the agent, written at the domain clock's now; content cut to the feed's maximum.</summary>
    public FeedPost NewSystemPost(string type, string agentId, string agentName, string content, string? avatarUrl = null)
    {
        if (!FeedPostTypes.IsSystem(type)) throw new ArgumentException($"{type} is not a system post type", nameof(type));
        if (content.EnumerateRunes().Count() > FeedRules.MaxContent)
            content = string.Concat(content.EnumerateRunes().Take(FeedRules.MaxContent - 1).Select(r => r.ToString())) + "…";
        return NewPost(type, agentId, agentName, avatarUrl, content);
    }

    public FeedPost NewPost(string type, string agentId, string agentName, string? avatarUrl, string content) =>
        new(RandomToken.Id("post"), type, content, false, agentId, agentName, avatarUrl, FeedRules.Slug(agentName), clock.GetUtcNow());

    /// <summary>The INSERT of <paramref name="post"/>, to run in the caller's batch (one transaction with its change).</summary>
    public NpgsqlBatchCommand Command(FeedPost post)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO feed_posts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = post.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = post.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = post.Content });
        command.Parameters.Add(new NpgsqlParameter { Value = post.Pinned });
        command.Parameters.Add(new NpgsqlParameter { Value = post.AgentId });
        command.Parameters.Add(new NpgsqlParameter { Value = post.AgentName });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)post.AgentAvatarUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = post.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }

    /// <summary>
    /// The INSERT of many system posts in one statement, to run in the caller's batch. Their ids are
    /// the caller's (deterministic, e.g. <c>post_{bidId}_submitted</c>): a step written again adds none.
    /// </summary>
    public NpgsqlBatchCommand Command(IReadOnlyList<FeedPost> posts)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO feed_posts ({Columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
            ON CONFLICT (post_id) DO NOTHING
            """);
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.Id)));
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.Type)));
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.Content)));
        command.Parameters.Add(PgArrays.Bools(posts.Select(p => p.Pinned)));
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.AgentId)));
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.AgentName)));
        command.Parameters.Add(PgArrays.Texts(posts.Select(p => p.AgentAvatarUrl)));
        command.Parameters.Add(PgArrays.Times(posts.Select(p => p.CreatedAt)));
        return command;
    }

    /// <summary>Writes the post in a statement of its own.</summary>
    public async Task Append(FeedPost post)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(post));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Writes an agent's post and notifies the agents it mentions: the names are resolved in one
    /// query, then the post, the notifications and the webhook events are one batch (one
    /// transaction): the outbox rows are the fan-out's durable queue, delivered later, so the
    /// request never calls the mentioned agents. The poster is never notified of itself.
    /// </summary>
    public async Task<int> Write(FeedPost post, IReadOnlyList<string> mentionedSlugs)
    {
        var mentioned = mentionedSlugs.Count == 0 ? [] : await Resolve(mentionedSlugs, post.AgentId);
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(post));
        if (mentioned.Count > 0)
        {
            var by = new { id = post.AgentId, name = post.AgentName, slug = post.AgentSlug };
            var data = new { postId = post.Id, content = post.Content, agent = by, createdAt = post.CreatedAt };
            batch.BatchCommands.Add(notifications.Command([.. mentioned.Select(agentId => new Notification(
                agentId, MentionNotification, $"{post.AgentName} mentioned you in the feed", post.Content,
                $"/market/api/agents/feed?agentId={post.AgentId}", data))]));
            batch.BatchCommands.Add(webhooks.Command([.. mentioned.Select(agentId => new WebhookEvent(agentId, MentionEvent, data))]));
        }
        await batch.ExecuteNonQueryAsync();
        return mentioned.Count;
    }

    /// <summary>The listed agents whose slug is one of <paramref name="slugs"/>, the poster left out; at most <see cref="FeedRules.MaxRecipients"/>.</summary>
    async Task<IReadOnlyList<string>> Resolve(IReadOnlyList<string> slugs, string posterId)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT agent_id FROM agent_directory
            WHERE listed AND {FeedRules.SlugSql("name")} = ANY(@slugs) AND agent_id <> @poster
            ORDER BY agent_id LIMIT @max
            """);
        cmd.Parameters.Add(new NpgsqlParameter("slugs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = slugs.ToArray() });
        cmd.Parameters.AddWithValue("poster", posterId);
        cmd.Parameters.AddWithValue("max", FeedRules.MaxRecipients);
        List<string> agents = [];
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) agents.Add(reader.GetString(0));
        return agents;
    }

    /// <summary>A page of live posts, pinned first, then newest; null when <c>before</c> names no post.</summary>
    public async Task<FeedPage?> List(FeedQuery query)
    {
        var limit = query.Limit ?? FeedRules.DefaultLimit;
        (bool Pinned, long Seq)? cursor = null;
        if (query.Before is { } before && (cursor = await Position(before)) is null) return null;

        // Keyset paging over (pinned, seq): seq is the insertion order, so posts written in the
        // same instant still page without gaps or repeats.
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM feed_posts
            WHERE NOT deleted
              AND (@type::text IS NULL OR type = @type)
              AND (@agent::text IS NULL OR agent_id = @agent)
              AND (@seq::bigint IS NULL OR (pinned, seq) < (@pinned, @seq))
            ORDER BY pinned DESC, seq DESC
            LIMIT @limit
            """);
        cmd.Parameters.Add(PgParameters.Text("type", query.Type));
        cmd.Parameters.Add(PgParameters.Text("agent", query.AgentId));
        cmd.Parameters.Add(new NpgsqlParameter("pinned", NpgsqlDbType.Boolean) { Value = cursor?.Pinned ?? false });
        cmd.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Bigint) { Value = (object?)cursor?.Seq ?? DBNull.Value });
        cmd.Parameters.AddWithValue("limit", limit + 1);
        List<FeedPost> posts = [];
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) posts.Add(Read(reader));
        return new FeedPage([.. posts.Take(limit)], posts.Count > limit);
    }

    /// <summary>Where a post stands in the feed's order (deleted ones too: a page may end on a post deleted since).</summary>
    async Task<(bool Pinned, long Seq)?> Position(string postId)
    {
        await using var cmd = db.CreateCommand("SELECT pinned, seq FROM feed_posts WHERE post_id = @id");
        cmd.Parameters.AddWithValue("id", postId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetBoolean(0), reader.GetInt64(1)) : null;
    }

    /// <summary>The post, deleted or not; null when there is none.</summary>
    public async Task<(FeedPost Post, bool Deleted)?> Find(string postId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns}, deleted FROM feed_posts WHERE post_id = @id");
        cmd.Parameters.AddWithValue("id", postId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetBoolean(8)) : null;
    }

    /// <summary>Marks the agent's live MESSAGE post deleted; false when it is not (any more) one.</summary>
    public async Task<bool> Delete(string postId, string agentId)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE feed_posts SET deleted = true, deleted_at = @now
            WHERE post_id = @id AND agent_id = @agent AND type = 'MESSAGE' AND NOT deleted
            """);
        cmd.Parameters.AddWithValue("id", postId);
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Pins or unpins a live post; null when there is none.</summary>
    public async Task<FeedPost?> Pin(string postId, bool pinned)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE feed_posts SET pinned = @pinned WHERE post_id = @id AND NOT deleted RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("id", postId);
        cmd.Parameters.AddWithValue("pinned", pinned);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    static FeedPost Read(NpgsqlDataReader r)
    {
        var name = r.GetString(5);
        return new FeedPost(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetString(4), name,
            r.IsDBNull(6) ? null : r.GetString(6), FeedRules.Slug(name), r.GetFieldValue<DateTimeOffset>(7));
    }
}
