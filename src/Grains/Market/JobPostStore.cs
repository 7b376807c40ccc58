using System.Text.Json;
using Actors.Grains.Feed;
using Actors.Grains.Notifications;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Market;

/// <summary>
/// The <c>market_bids</c> rows and the <c>market_job_posts</c> row of a post, written only by its
/// grain: everything one decision step changed goes in ONE batch (<see cref="Write"/>: many bids are
/// one INSERT and one UPDATE over arrays), with the post's row, its events, notifications and feed
/// posts, so they commit together or not at all. Read here: the post's bids when its grain activates,
/// and the bids as anyone sees them (messages, price history, the bidder's rating from the directory).
/// </summary>
public sealed class JobPostStore(NpgsqlDataSource db, WebhookOutbox webhooks, NotificationOutbox notifications, FeedStore feed)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The post's row as last written (null when its creation's batch never committed).</summary>
    public sealed record PostRow(DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt);

    /// <summary>What changes on a post's row; the rest is its definition, written with its first row.</summary>
    public sealed record PostCounts(string Status, int BidCount, int AcceptedCount, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt);

    const string ViewColumns = """
        b.bid_id, b.post_id, b.bidder_id, b.bidder_name, coalesce(d.rating, 0)::double precision, b.price_cents, b.message, b.status,
        b.price_history, b.delivery_note, b.delivery_url, b.resolution, b.created_at, b.updated_at, b.accepted_at, b.delivered_at, b.completed_at
        """;

    /// <summary>The post's row and its bids, in arrival order.</summary>
    public async Task<(PostRow? Row, List<BidEntry> Bids)> Load(string postId)
    {
        await using var batch = db.CreateBatch();
        var row = new NpgsqlBatchCommand("SELECT updated_at, closed_at FROM market_job_posts WHERE post_id = $1");
        row.Parameters.Add(new NpgsqlParameter { Value = postId });
        var bids = new NpgsqlBatchCommand("""
            SELECT bid_id, bidder_id, bidder_name, seq, created_at, price_cents, coalesce(price_set_at, created_at), status,
                   outbid_notified, resolution, updated_at, accepted_at, delivered_at, completed_at
            FROM market_bids WHERE post_id = $1 ORDER BY seq, created_at, bid_id
            """);
        bids.Parameters.Add(new NpgsqlParameter { Value = postId });
        batch.BatchCommands.Add(row);
        batch.BatchCommands.Add(bids);
        await using var reader = await batch.ExecuteReaderAsync();
        PostRow? post = await reader.ReadAsync() ? new PostRow(reader.GetFieldValue<DateTimeOffset>(0), reader.TimeOrNull(1)) : null;
        await reader.NextResultAsync();
        List<BidEntry> entries = [];
        while (await reader.ReadAsync())
            entries.Add(new BidEntry
            {
                Id = reader.GetString(0),
                BidderId = reader.GetString(1),
                BidderName = reader.GetString(2),
                Seq = reader.GetInt32(3),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
                PriceCents = reader.GetInt64(5),
                PriceSetAt = reader.GetFieldValue<DateTimeOffset>(6),
                Status = reader.GetString(7),
                OutbidNotified = reader.GetBoolean(8),
                Resolution = reader.IsDBNull(9) ? null : reader.GetString(9),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                AcceptedAt = reader.TimeOrNull(11),
                DeliveredAt = reader.TimeOrNull(12),
                CompletedAt = reader.TimeOrNull(13),
            });
        return (post, entries);
    }

    /// <summary>One transaction: the new bids, the changed bids, the post's row, the events and feed posts.</summary>
    public async Task Write(string postId, JobPostState post, PostCounts counts, JobPostWrite write)
    {
        await using var batch = db.CreateBatch();
        if (write.Inserts.Count > 0) batch.BatchCommands.Add(InsertBids(postId, write));
        if (write.Updates.Count > 0) batch.BatchCommands.Add(UpdateBids(write));
        batch.BatchCommands.Add(UpsertPost(postId, post, counts));
        if (write.Webhooks.Count > 0) batch.BatchCommands.Add(webhooks.Command(write.Webhooks));
        if (write.Notifications.Count > 0) batch.BatchCommands.Add(notifications.Command(write.Notifications));
        if (write.FeedPosts.Count > 0) batch.BatchCommands.Add(feed.Command(write.FeedPosts));
        await batch.ExecuteNonQueryAsync();
    }

    static NpgsqlBatchCommand InsertBids(string postId, JobPostWrite write)
    {
        var bids = write.Inserts.Keys.ToList();
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO market_bids (bid_id, post_id, bidder_id, bidder_name, price_cents, message, status, outbid_notified,
                seq, created_at, updated_at, price_set_at, accepted_at)
            SELECT u.id, $1, u.bidder, u.name, u.price, u.message, u.status, u.outbid, u.seq, u.created, u.updated, u.price_set, u.accepted
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::boolean[], $9::int[],
                        $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
                 AS u(id, bidder, name, price, message, status, outbid, seq, created, updated, price_set, accepted)
            ON CONFLICT (bid_id) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = postId });
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.Id)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.BidderId)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.BidderName)));
        cmd.Parameters.Add(PgArrays.Longs(bids.Select(b => b.PriceCents)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => write.Inserts[b])));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.Status)));
        cmd.Parameters.Add(PgArrays.Bools(bids.Select(b => b.OutbidNotified)));
        cmd.Parameters.Add(PgArrays.Ints(bids.Select(b => b.Seq)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.CreatedAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.UpdatedAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.PriceSetAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.AcceptedAt)));
        return cmd;
    }

    /// <summary>
    /// The changed bids as they are now; a new message, delivery or earlier price only for the bids
    /// that have one (null keeps the row's). An earlier price is appended to the history, which keeps
    /// the last <see cref="JobPostLimits.MaxPriceHistory"/>.
    /// </summary>
    static NpgsqlBatchCommand UpdateBids(JobPostWrite write)
    {
        var bids = write.Updates.ToList();
        var cmd = new NpgsqlBatchCommand($"""
            UPDATE market_bids b SET
                price_cents = u.price, status = u.status, outbid_notified = u.outbid, resolution = u.resolution,
                updated_at = u.updated, price_set_at = u.price_set, accepted_at = u.accepted, delivered_at = u.delivered,
                completed_at = u.completed, message = coalesce(u.message, b.message),
                delivery_note = coalesce(u.note, b.delivery_note), delivery_url = coalesce(u.url, b.delivery_url),
                price_history = CASE WHEN u.old_price IS NULL THEN b.price_history ELSE (
                    SELECT coalesce(jsonb_agg(h.e ORDER BY h.n), '[]'::jsonb)::text FROM (
                        SELECT x.e, x.n FROM jsonb_array_elements(b.price_history::jsonb
                            || jsonb_build_array(jsonb_build_object('priceCents', u.old_price, 'at', u.old_at))) WITH ORDINALITY AS x(e, n)
                        ORDER BY x.n DESC LIMIT {JobPostLimits.MaxPriceHistory}) h) END
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                        $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                        $14::bigint[], $15::timestamptz[])
                 AS u(id, price, status, outbid, resolution, updated, price_set, accepted, delivered, completed, message, note, url,
                      old_price, old_at)
            WHERE b.bid_id = u.id
            """);
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.Id)));
        cmd.Parameters.Add(PgArrays.Longs(bids.Select(b => b.PriceCents)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.Status)));
        cmd.Parameters.Add(PgArrays.Bools(bids.Select(b => b.OutbidNotified)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => b.Resolution)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.UpdatedAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.PriceSetAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.AcceptedAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.DeliveredAt)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => b.CompletedAt)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => write.Messages.GetValueOrDefault(b.Id))));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => write.Deliveries.TryGetValue(b.Id, out var d) ? d.Note : null)));
        cmd.Parameters.Add(PgArrays.Texts(bids.Select(b => write.Deliveries.TryGetValue(b.Id, out var d) ? d.Url : null)));
        cmd.Parameters.Add(PgArrays.Longs(bids.Select(b => write.EarlierPrices.TryGetValue(b.Id, out var p) ? (long?)p.PriceCents : null)));
        cmd.Parameters.Add(PgArrays.Times(bids.Select(b => write.EarlierPrices.TryGetValue(b.Id, out var p) ? (DateTimeOffset?)p.At : null)));
        return cmd;
    }

    static NpgsqlBatchCommand UpsertPost(string postId, JobPostState post, PostCounts counts)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO market_job_posts (post_id, poster_id, poster_name, poster_avatar_url, title, description, category, tags,
                budget_cents, deadline, instant_accept_cents, multi_bid, max_accepted_bids, status, bid_count, accepted_count,
                created_at, updated_at, closed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (post_id) DO UPDATE SET
                status = EXCLUDED.status, bid_count = EXCLUDED.bid_count, accepted_count = EXCLUDED.accepted_count,
                updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = postId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.PosterId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.PosterName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)post.PosterAvatarUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.Title });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.Description });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.Category });
        cmd.Parameters.Add(PgArrays.Texts(post.Tags));
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.BudgetCents });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)post.Deadline ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)post.InstantAcceptCents ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.MultiBid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.MaxAcceptedBids });
        cmd.Parameters.Add(new NpgsqlParameter { Value = counts.Status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = counts.BidCount });
        cmd.Parameters.Add(new NpgsqlParameter { Value = counts.AcceptedCount });
        cmd.Parameters.Add(new NpgsqlParameter { Value = post.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = counts.UpdatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)counts.ClosedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return cmd;
    }

    /// <summary>Every bid of the post as anyone sees it, lowest price first (ties: the earlier first).</summary>
    public async Task<List<BidView>> Bids(string postId)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {ViewColumns} FROM market_bids b LEFT JOIN agent_directory d ON d.agent_id = b.bidder_id
            WHERE b.post_id = @post ORDER BY b.price_cents, b.seq, b.bid_id
            """);
        cmd.Parameters.AddWithValue("post", postId);
        List<BidView> bids = [];
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) bids.Add(Read(reader));
        return bids;
    }

    /// <summary>One bid of the post as anyone sees it; null when the post has none by that id.</summary>
    public async Task<BidView?> Bid(string postId, string bidId)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {ViewColumns} FROM market_bids b LEFT JOIN agent_directory d ON d.agent_id = b.bidder_id
            WHERE b.bid_id = @bid AND b.post_id = @post
            """);
        cmd.Parameters.AddWithValue("post", postId);
        cmd.Parameters.AddWithValue("bid", bidId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    static BidView Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetInt64(5), r.GetString(6), r.GetString(7),
        History(r.GetString(8)), r.TextOrNull(9), r.TextOrNull(10), r.TextOrNull(11),
        r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13), r.TimeOrNull(14), r.TimeOrNull(15), r.TimeOrNull(16));

    static IReadOnlyList<BidPrice> History(string json) => JsonSerializer.Deserialize<List<BidPrice>>(json, Json) ?? [];
}
