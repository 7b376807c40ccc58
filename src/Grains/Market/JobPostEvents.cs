using Actors.Grains.Feed;
using Actors.Grains.Notifications;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Market;

/// <summary>
/// What a post's bids tell their parties: for each step, a webhook event (the seed's payload, its
/// <c>jobId</c> the post, <c>data</c> the bid) and an inbox notification to the one it concerns, added
/// to the <see cref="JobPostWrite"/> that records the step, so the step and its events commit together.
/// <para>
/// Ids are deterministic: a bid reaches each status once, so (bid, event) names one step; the two
/// steps that repeat name what makes them distinct (an update its time and price, an outbid notice
/// the undercut price and when it was set). A step written again (<c>Recover</c> finishing one whose
/// money moved) names the same ids, and the outboxes ignore the second write.
/// </para>
/// </summary>
public static class JobPostEvents
{
    public const string Received = "bid.received";
    public const string Outbid = "bid.outbid";
    public const string Accepted = "bid.accepted";
    public const string Rejected = "bid.rejected";
    public const string Updated = "bid.updated";
    public const string Withdrawn = "bid.withdrawn";
    public const string Delivered = "bid.delivered";
    public const string Completed = "bid.completed";
    public const string Disputed = "bid.disputed";
    public const string Expired = "bid.expired";
    /// <summary>A disputed bid the operator refunded (ours: the seed has no event for it).</summary>
    public const string Cancelled = "bid.cancelled";
    public const string PostCreated = "job_post.created";

    /// <summary>The seed's notification types: bid.outbid is "outbid", an announcement "system", the others snake_case.</summary>
    public static string TypeOf(string eventName) => eventName switch
    {
        Outbid => "outbid",
        PostCreated => "system",
        _ => JobEvents.TypeOf(eventName),
    };

    public enum Instant { No, Accepted, Unpaid }

    const int MaxExcerpt = 200;

    /// <summary>bid_received to the poster; says whether an instant accept took the bid or could not be paid.</summary>
    public static void TellReceived(JobPostWrite write, string postId, JobPostState post, BidEntry bid, string message, Instant instant)
    {
        var price = Dollars(bid.PriceCents);
        var body = instant switch
        {
            Instant.Accepted => $"{bid.BidderName} bid {price}, at or below your instant-accept price: accepted, and its price is held in escrow.",
            Instant.Unpaid => $"{bid.BidderName} bid {price}, at or below your instant-accept price, but your wallet could not pay its escrow: the bid stays PENDING.",
            _ => $"{bid.BidderName} bid {price}: {Excerpt(message)}",
        };
        Add(write, postId, bid, Received, post.PosterId, $"New bid on \"{post.Title}\"", body, Data(postId, bid, message));
    }

    /// <summary>The seed's outbid notice to the bidder of <paramref name="undercut"/>, once per price of theirs.</summary>
    public static void TellOutbid(JobPostWrite write, string postId, JobPostState post, BidEntry undercut, long newLowPriceCents)
    {
        var data = new Dictionary<string, object?>
        {
            ["jobPostId"] = postId,
            ["yourBidId"] = undercut.Id,
            ["yourPriceCents"] = undercut.PriceCents,
            ["newLowPriceCents"] = newLowPriceCents,
            ["updateUrl"] = $"/api/agents/jobs/{postId}/bids/{undercut.Id}",
        };
        var key = $"{undercut.Id}_{Outbid}_{undercut.PriceCents}_{undercut.PriceSetAt.ToUnixTimeMilliseconds()}";
        write.Webhooks.Add(new WebhookEvent(undercut.BidderId, Outbid, data, postId, "msg_" + key));
        write.Notifications.Add(new Notification(undercut.BidderId, TypeOf(Outbid), $"You've been outbid on \"{post.Title}\"",
            $"A new bid of {Dollars(newLowPriceCents)} has undercut your {Dollars(undercut.PriceCents)} bid. Lower your price with PATCH to stay in the running.",
            Link(postId), data, "ntf_" + key));
    }

    public static void TellAccepted(JobPostWrite write, string postId, JobPostState post, BidEntry bid) =>
        Add(write, postId, bid, Accepted, bid.BidderId, $"Your bid on \"{post.Title}\" was accepted",
            $"{post.PosterName} accepted your bid of {Dollars(bid.PriceCents)}; its price is held in escrow until you deliver and the poster approves.",
            Data(postId, bid));

    /// <summary><paramref name="closed"/>: rejected because an acceptance filled the post, not by the poster's hand.</summary>
    public static void TellRejected(JobPostWrite write, string postId, JobPostState post, BidEntry bid, bool closed) =>
        Add(write, postId, bid, Rejected, bid.BidderId, $"Your bid on \"{post.Title}\" was rejected",
            closed ? "The post closed: it accepted as many bids as it takes." : $"{post.PosterName} rejected your bid of {Dollars(bid.PriceCents)}.",
            Data(postId, bid));

    public static void TellUpdated(JobPostWrite write, string postId, JobPostState post, BidEntry bid, long oldPriceCents, string? message)
    {
        var body = oldPriceCents != bid.PriceCents
            ? $"{bid.BidderName} changed their bid from {Dollars(oldPriceCents)} to {Dollars(bid.PriceCents)}."
            : $"{bid.BidderName} updated their proposal ({Dollars(bid.PriceCents)}).";
        var data = Data(postId, bid, message);
        data["previousPriceCents"] = oldPriceCents;
        Add(write, postId, bid, Updated, post.PosterId, $"{bid.BidderName} updated their bid on \"{post.Title}\"", body, data,
            $"_{bid.UpdatedAt.ToUnixTimeMilliseconds()}_{bid.PriceCents}");
    }

    public static void TellWithdrawn(JobPostWrite write, string postId, JobPostState post, BidEntry bid) =>
        Add(write, postId, bid, Withdrawn, post.PosterId, $"{bid.BidderName} withdrew their bid on \"{post.Title}\"",
            $"The bid of {Dollars(bid.PriceCents)} is withdrawn.", Data(postId, bid));

    public static void TellDelivered(JobPostWrite write, string postId, JobPostState post, BidEntry bid, string? note, string? url)
    {
        var data = Data(postId, bid);
        data["deliveryNote"] = note;
        data["deliveryUrl"] = url;
        Add(write, postId, bid, Delivered, post.PosterId, $"{bid.BidderName} delivered \"{post.Title}\"",
            "Review the delivery, then mark the bid COMPLETED to pay it, or DISPUTED.", data);
    }

    /// <summary>The bidder hears of a completion; after the operator's resolution, the poster too.</summary>
    public static void TellCompleted(JobPostWrite write, string postId, JobPostState post, BidEntry bid)
    {
        var resolved = bid.Resolution is { } r ? $"The operator resolved the dispute ({r})." : null;
        Add(write, postId, bid, Completed, bid.BidderId, $"\"{post.Title}\" is complete",
            resolved ?? $"{post.PosterName} approved your delivery: {Dollars(bid.PriceCents)} less the platform fee is paid to you.", Data(postId, bid));
        if (resolved is not null)
            Add(write, postId, bid, Completed, post.PosterId, $"\"{post.Title}\" is complete", resolved, Data(postId, bid), "_poster");
    }

    public static void TellDisputed(JobPostWrite write, string postId, JobPostState post, BidEntry bid) =>
        Add(write, postId, bid, Disputed, bid.BidderId, $"{post.PosterName} disputed your bid on \"{post.Title}\"",
            "Its escrow is frozen until an operator resolves the dispute.", Data(postId, bid));

    public static void TellExpired(JobPostWrite write, string postId, JobPostState post, BidEntry bid) =>
        Add(write, postId, bid, Expired, bid.BidderId, $"Bidding on \"{post.Title}\" closed",
            $"The deadline passed before your bid of {Dollars(bid.PriceCents)} was accepted.", Data(postId, bid));

    /// <summary>A refunded dispute: both parties hear of it.</summary>
    public static void TellCancelled(JobPostWrite write, string postId, JobPostState post, BidEntry bid)
    {
        var body = $"The operator resolved the dispute (refund): {Dollars(bid.PriceCents)} went back to the poster.";
        Add(write, postId, bid, Cancelled, bid.BidderId, $"\"{post.Title}\" was cancelled", body, Data(postId, bid));
        Add(write, postId, bid, Cancelled, post.PosterId, $"\"{post.Title}\" was cancelled", body, Data(postId, bid), "_poster");
    }

    /// <summary>The announcement of a new post to the agents whose services match it.</summary>
    public static void Announced(JobPostWrite write, JobPostView post, IReadOnlyList<string> agentIds)
    {
        if (agentIds.Count == 0) return;
        var data = new Dictionary<string, object?>
        {
            ["id"] = post.Id,
            ["title"] = post.Title,
            ["description"] = post.Description,
            ["category"] = post.Category,
            ["tags"] = post.Tags,
            ["budgetCents"] = post.BudgetCents,
            ["deadline"] = post.Deadline,
            ["instantAcceptCents"] = post.InstantAcceptCents,
            ["multiBid"] = post.MultiBid,
            ["maxAcceptedBids"] = post.MaxAcceptedBids,
            ["status"] = post.Status,
            ["auctionMode"] = post.AuctionMode,
            ["poster"] = new { id = post.PosterId, name = post.PosterName, avatarUrl = post.PosterAvatarUrl },
            ["createdAt"] = post.CreatedAt,
        };
        var body = $"{post.PosterName} posted \"{post.Title}\" ({post.Category}, budget {Dollars(post.BudgetCents)}). Bid with POST /api/agents/jobs/{post.Id}/bids.";
        foreach (var agentId in agentIds)
        {
            var key = $"{post.Id}_created_{agentId}";
            write.Webhooks.Add(new WebhookEvent(agentId, PostCreated, data, post.Id, "msg_" + key));
            write.Notifications.Add(new Notification(agentId, TypeOf(PostCreated), $"New job matching your services: {post.Title}", body,
                Link(post.Id), new { jobPostId = post.Id, category = post.Category, tags = post.Tags, budgetCents = post.BudgetCents }, "ntf_" + key));
        }
    }

    /// <summary>The feed's BID_SUBMITTED post of a new bid.</summary>
    public static FeedPost SubmittedPost(FeedStore feed, JobPostState post, BidEntry bid) =>
        feed.NewSystemPost(FeedPostTypes.BidSubmitted, bid.BidderId, bid.BidderName, $"{bid.BidderName} bid {Dollars(bid.PriceCents)} on {post.Title}")
            with { Id = $"post_{bid.Id}_submitted" };

    /// <summary>The feed's BID_ACCEPTED post of an acceptance.</summary>
    public static FeedPost AcceptedPost(FeedStore feed, JobPostState post, BidEntry bid) =>
        feed.NewSystemPost(FeedPostTypes.BidAccepted, bid.BidderId, bid.BidderName,
            $"{post.PosterName} accepted {bid.BidderName}'s bid of {Dollars(bid.PriceCents)} on {post.Title}") with { Id = $"post_{bid.Id}_accepted" };

    /// <summary>The feed's JOB_POSTED post of a new post.</summary>
    public static FeedPost PostedPost(FeedStore feed, string postId, JobPostState post) =>
        feed.NewSystemPost(FeedPostTypes.JobPosted, post.PosterId, post.PosterName, $"{post.PosterName} posted a new job: {post.Title}", post.PosterAvatarUrl)
            with { Id = $"post_{postId}_posted" };

    static void Add(JobPostWrite write, string postId, BidEntry bid, string eventName, string recipientId, string title, string body,
        Dictionary<string, object?> data, string suffix = "")
    {
        var key = $"{bid.Id}_{eventName}{suffix}";
        write.Webhooks.Add(new WebhookEvent(recipientId, eventName, data, postId, "msg_" + key));
        write.Notifications.Add(new Notification(recipientId, TypeOf(eventName), title, body, Link(postId),
            new { jobPostId = postId, bidId = bid.Id, priceCents = bid.PriceCents, status = bid.Status }, "ntf_" + key));
    }

    /// <summary>The seed's bid as the event's <c>data</c>, as it is after the step (its message when the step knows it).</summary>
    static Dictionary<string, object?> Data(string postId, BidEntry bid, string? message = null)
    {
        var data = new Dictionary<string, object?>
        {
            ["id"] = bid.Id,
            ["jobPostId"] = postId,
            ["priceCents"] = bid.PriceCents,
            ["status"] = bid.Status,
            ["bidder"] = new { id = bid.BidderId, name = bid.BidderName },
            ["resolution"] = bid.Resolution,
            ["createdAt"] = bid.CreatedAt,
            ["updatedAt"] = bid.UpdatedAt,
            ["acceptedAt"] = bid.AcceptedAt,
            ["deliveredAt"] = bid.DeliveredAt,
            ["completedAt"] = bid.CompletedAt,
        };
        if (message is not null) data["message"] = message;
        return data;
    }

    static string Dollars(long cents) => "$" + Usd.Format(cents);

    static string Link(string postId) => $"/jobs/{postId}";

    static string Excerpt(string text) => text.Length <= MaxExcerpt ? text : text[..MaxExcerpt] + "…";
}
