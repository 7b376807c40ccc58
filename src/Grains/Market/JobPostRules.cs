using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// What a job post and its bids must carry, how bids rank, who may change a bid in which status, and
/// when a bid is accepted on arrival. Pure: the grain asks, in this order, for the fields (400), the
/// role (403) and the status (409).
/// </summary>
public static class JobPostRules
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 10_000;
    public const int MaxCategory = 64;
    public const int MaxTags = 10;
    public const int MaxTag = 32;
    public const long MaxCents = 100_000_000;
    public const int MaxBidMessage = 5_000;
    public const int MaxDeliveryNote = 10_000;
    public const int MaxDeliveryUrl = 2_048;
    public static readonly TimeSpan MaxDeadlineAhead = TimeSpan.FromDays(365);

    public const string Poster = "poster";
    public const string Bidder = "bidder";

    /// <summary>Statuses a PATCH may set (the others — PENDING, EXPIRED, CANCELLED — only the post sets).</summary>
    public static readonly IReadOnlyList<string> Settable =
        [BidStatus.Accepted, BidStatus.Rejected, BidStatus.Withdrawn, BidStatus.Delivered, BidStatus.Completed, BidStatus.Disputed];

    /// <summary>A live bid competes: it counts in totals and ranks.</summary>
    public static bool IsLive(string status) =>
        status is not (BidStatus.Withdrawn or BidStatus.Rejected or BidStatus.Expired or BidStatus.Cancelled);

    public static Problem? CheckNewPost(NewJobPost post, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(post.Title)) return Problem.Invalid("title", "title is required");
        if (post.Title.Trim().Length > MaxTitle) return Problem.Invalid("title", $"title must be at most {MaxTitle} characters");
        if (string.IsNullOrWhiteSpace(post.Description)) return Problem.Invalid("description", "description is required");
        if (post.Description.Trim().Length > MaxDescription) return Problem.Invalid("description", $"description must be at most {MaxDescription} characters");
        if (string.IsNullOrWhiteSpace(post.Category)) return Problem.Invalid("category", "category is required");
        if (post.Category.Trim().Length > MaxCategory) return Problem.Invalid("category", $"category must be at most {MaxCategory} characters");
        if (post.Tags is { } tags)
        {
            if (tags.Count > MaxTags) return Problem.Invalid("tags", $"At most {MaxTags} tags");
            if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > MaxTag))
                return Problem.Invalid("tags", $"Each tag must be 1 to {MaxTag} characters");
        }
        if (post.BudgetCents is not { } budget) return Problem.Invalid("budgetCents", "budgetCents is required");
        if (budget is < 1 or > MaxCents) return Problem.Invalid("budgetCents", $"budgetCents must be between 1 and {MaxCents}");
        if (post.InstantAcceptCents is { } instant && (instant < 1 || instant > budget))
            return Problem.Invalid("instantAcceptCents", $"instantAcceptCents must be between 1 and the budget ({budget})");
        if (post.MaxAcceptedBids is { } max)
        {
            if (post.MultiBid is not true) return Problem.Invalid("maxAcceptedBids", "maxAcceptedBids needs multiBid: true");
            if (max is < 1 or > JobPostLimits.MaxAcceptedBids)
                return Problem.Invalid("maxAcceptedBids", $"maxAcceptedBids must be between 1 and {JobPostLimits.MaxAcceptedBids}");
        }
        if (post.Deadline is { } deadline)
        {
            if (deadline <= now) return Problem.Invalid("deadline", "deadline must be in the future");
            if (deadline > now + MaxDeadlineAhead) return Problem.Invalid("deadline", "deadline must be at most a year ahead");
        }
        return null;
    }

    public static string Category(string category) => category.Trim().ToLowerInvariant();

    public static List<string> Tags(IReadOnlyList<string>? tags) =>
        tags is null ? [] : [.. tags.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal)];

    /// <summary>Accepted bids a post takes: 1 in single-bid mode, the maximum given or 50 in multi-bid mode.</summary>
    public static int MaxAccepted(bool? multiBid, int? maxAcceptedBids) =>
        multiBid is true ? maxAcceptedBids ?? JobPostLimits.MaxAcceptedBids : 1;

    /// <summary>A new bid's price and message (the message may be left out: it is then empty).</summary>
    public static Problem? CheckBid(long? priceCents, string? message) =>
        CheckPrice(priceCents, required: true) ?? CheckMessage(message);

    static Problem? CheckPrice(long? priceCents, bool required) => priceCents switch
    {
        null when required => Problem.Invalid("priceCents", "priceCents is required"),
        < 1 or > MaxCents => Problem.Invalid("priceCents", $"priceCents must be between 1 and {MaxCents}"),
        _ => null,
    };

    static Problem? CheckMessage(string? message) =>
        message is { Length: > MaxBidMessage } ? Problem.Invalid("message", $"message must be at most {MaxBidMessage} characters") : null;

    /// <summary>The fields of a PATCH: a price and/or message, or a status (with a delivery for DELIVERED), never both.</summary>
    public static Problem? CheckChange(BidChange change)
    {
        if (change.Status is { } status)
        {
            if (change.PriceCents is not null || change.Message is not null)
                return Problem.Invalid("status", "Send either a new priceCents/message or a status, not both");
            if (!Settable.Contains(status))
                return Problem.Invalid("status", "status must be one of " + string.Join(", ", Settable));
            if (status != BidStatus.Delivered) return null;
            if (string.IsNullOrWhiteSpace(change.DeliveryNote) && string.IsNullOrWhiteSpace(change.DeliveryUrl))
                return Problem.Invalid("deliveryNote", "A delivery needs a deliveryNote or a deliveryUrl");
            if (change.DeliveryNote is { Length: > MaxDeliveryNote })
                return Problem.Invalid("deliveryNote", $"deliveryNote must be at most {MaxDeliveryNote} characters");
            if (change.DeliveryUrl is { } url && !string.IsNullOrWhiteSpace(url) && !IsWebUrl(url))
                return Problem.Invalid("deliveryUrl", $"deliveryUrl must be an http(s) URL of at most {MaxDeliveryUrl} characters");
            return null;
        }
        if (change.PriceCents is null && change.Message is null)
            return Problem.Invalid("priceCents", "Nothing to change: send priceCents and/or message, or a status");
        return CheckPrice(change.PriceCents, required: false) ?? CheckMessage(change.Message);
    }

    static bool IsWebUrl(string url) =>
        url.Length <= MaxDeliveryUrl && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>
    /// Whether <paramref name="role"/> (<see cref="Poster"/>, <see cref="Bidder"/>, null for anyone
    /// else) may make <paramref name="change"/> (fields already checked) to a bid in <paramref name="status"/>.
    /// </summary>
    public static Problem? Allowed(BidChange change, string? role, string status, bool postOpen)
    {
        var (who, verb) = change.Status switch
        {
            null => (Bidder, "update"),
            BidStatus.Withdrawn => (Bidder, "withdraw"),
            BidStatus.Delivered => (Bidder, "deliver"),
            BidStatus.Accepted => (Poster, "accept"),
            BidStatus.Rejected => (Poster, "reject"),
            BidStatus.Completed => (Poster, "complete"),
            _ => (Poster, "dispute"),
        };
        if (role != who)
            return Problem.Forbidden(who == Bidder ? $"Only the bidder can {verb} this bid" : $"Only the job's poster can {verb} a bid");
        var from = From(change.Status);
        if (!from.Contains(status))
            return Problem.Conflict($"Cannot {verb} a bid that is {status} (only when {string.Join(" or ", from)})");
        if (change.Status is null or BidStatus.Accepted && !postOpen) // (a price update or an acceptance) on a closed post
            return Problem.Conflict("Bidding on this post is closed");
        return null;
    }

    /// <summary>The statuses a PATCH (its status; null: a price/message update) starts from.</summary>
    public static IReadOnlyList<string> From(string? status) => status switch
    {
        null or BidStatus.Withdrawn or BidStatus.Accepted or BidStatus.Rejected => [BidStatus.Pending],
        BidStatus.Delivered => [BidStatus.Accepted],
        BidStatus.Completed => [BidStatus.Delivered],
        BidStatus.Disputed => [BidStatus.Accepted, BidStatus.Delivered],
        _ => [],
    };

    /// <summary>1 + live bids priced lower + live bids at the same price that arrived earlier.</summary>
    public static int Rank(IEnumerable<BidEntry> bids, BidEntry bid)
    {
        var rank = 1;
        foreach (var other in bids)
            if (other.Id != bid.Id && other.IsLive && (other.PriceCents < bid.PriceCents || (other.PriceCents == bid.PriceCents && other.Seq < bid.Seq)))
                rank++;
        return rank;
    }

    /// <summary>The seed's competitiveContext of <paramref name="bid"/> (a live bid) among <paramref name="bids"/> (it included).</summary>
    public static BidStanding Standing(IReadOnlyCollection<BidEntry> bids, BidEntry bid)
    {
        var total = 0;
        var lowest = long.MaxValue;
        foreach (var other in bids)
        {
            if (!other.IsLive) continue;
            total++;
            lowest = Math.Min(lowest, other.PriceCents);
        }
        var rank = Rank(bids, bid);
        return new BidStanding(rank, total, lowest, rank == 1, StandingMessage(rank, total, lowest));
    }

    public static string StandingMessage(int rank, int total, long lowestCents) => rank == 1
        ? $"Your bid is the lowest of {total}."
        : $"Your bid is ranked #{rank} of {total}. The current lowest bid is ${Usd.Format(lowestCents)}.";

    /// <summary>
    /// The other agents' live PENDING bids that <paramref name="bid"/>, now at its price, newly
    /// undercuts: priced above it, and — for a lowered price (<paramref name="oldPriceCents"/>) — at or
    /// below its old price (those above the old price it undercut already).
    /// </summary>
    public static List<BidEntry> Undercut(IEnumerable<BidEntry> bids, BidEntry bid, long? oldPriceCents = null)
    {
        List<BidEntry> undercut = [];
        if (oldPriceCents is { } old && old <= bid.PriceCents) return undercut;
        foreach (var other in bids)
            if (other.BidderId != bid.BidderId && other.Status == BidStatus.Pending && other.PriceCents > bid.PriceCents
                && (oldPriceCents is null || other.PriceCents <= oldPriceCents))
                undercut.Add(other);
        return undercut;
    }

    /// <summary>A new bid at or below the instant-accept price is accepted on arrival while the post takes more acceptances.</summary>
    public static bool AcceptsInstantly(long? instantAcceptCents, long priceCents, int acceptedBids, int maxAcceptedBids) =>
        instantAcceptCents is { } threshold && priceCents <= threshold && acceptedBids < maxAcceptedBids;
}
