using Actors.Grains.Feed;
using Actors.Grains.Notifications;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Market;

/// <summary>
/// What a post's grain has decided since its last write, written together as ONE batch (one
/// transaction) by <see cref="JobPostStore.Write"/>: the new bids, the bids that changed (their
/// values as they are when written), the post's row, the events and notifications those decisions
/// raise and their feed posts. Nothing here is answered before that batch commits.
/// </summary>
public sealed class JobPostWrite
{
    /// <summary>New bids and their messages (a bid changed again before its first write is inserted as it is then).</summary>
    public Dictionary<BidEntry, string> Inserts { get; } = [];
    public HashSet<BidEntry> Updates { get; } = [];
    /// <summary>A bid's new message (the grain does not keep messages).</summary>
    public Dictionary<string, string> Messages { get; } = [];
    /// <summary>A bid's price before its update, pushed onto its price history.</summary>
    public Dictionary<string, BidPrice> EarlierPrices { get; } = [];
    public Dictionary<string, (string? Note, string? Url)> Deliveries { get; } = [];
    public List<WebhookEvent> Webhooks { get; } = [];
    public List<Notification> Notifications { get; } = [];
    public List<FeedPost> FeedPosts { get; } = [];

    public bool IsEmpty => Inserts.Count == 0 && Updates.Count == 0 && Webhooks.Count == 0 && Notifications.Count == 0 && FeedPosts.Count == 0;

    public void Insert(BidEntry bid, string message) => Inserts[bid] = message;

    public void Update(BidEntry bid)
    {
        if (!Inserts.ContainsKey(bid)) Updates.Add(bid);
    }
}
