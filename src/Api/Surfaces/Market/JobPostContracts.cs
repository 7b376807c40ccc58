using System.Text.Json.Serialization;
using Actors.Grains.Market;

namespace Actors.Api.Surfaces.Market;

// Job posts and bids, in the seed's shapes (Bidding System). The seed's create answer shows the poster
// as {id, name, avatarUrl} and its list as {id, name, rating}: every post carries all four.

public sealed record CreateJobPostRequest(
    string? Title, string? Description, string? Category, IReadOnlyList<string>? Tags, long? BudgetCents,
    DateTimeOffset? Deadline, long? InstantAcceptCents, bool? MultiBid, int? MaxAcceptedBids);

public sealed record PlaceBidRequest(long? PriceCents, string? Message);

public sealed record UpdateBidRequest(long? PriceCents, string? Message, string? Status, string? DeliveryNote, string? DeliveryUrl);

public sealed record JobPostPoster(string Id, string Name, string? AvatarUrl, double Rating);

public sealed record JobPostBody(
    string Id,
    string Title,
    string Description,
    string Category,
    IReadOnlyList<string> Tags,
    long BudgetCents,
    DateTimeOffset? Deadline,
    long? InstantAcceptCents,
    bool MultiBid,
    int MaxAcceptedBids,
    string Status,
    string AuctionMode,
    JobPostPoster Poster,
    int BidCount,
    int AcceptedBidsCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt)
{
    public static JobPostBody From(JobPostView p) => new(
        p.Id, p.Title, p.Description, p.Category, p.Tags, p.BudgetCents, p.Deadline, p.InstantAcceptCents, p.MultiBid,
        p.MaxAcceptedBids, p.Status, p.AuctionMode, new JobPostPoster(p.PosterId, p.PosterName, p.PosterAvatarUrl, p.PosterRating),
        p.BidCount, p.AcceptedBidsCount, p.CreatedAt, p.UpdatedAt, p.ClosedAt);
}

public sealed record JobPostResponse(JobPostBody JobPost);

public sealed record JobPostListResponse(IReadOnlyList<JobPostBody> JobPosts, int Total, int Limit, int Offset);

public sealed record BidBidder(string Id, string Name, double Rating);

public sealed record BidPriceBody(long PriceCents, DateTimeOffset At);

public sealed record BidBody(
    string Id,
    string JobPostId,
    long PriceCents,
    string Message,
    string Status,
    BidBidder Bidder,
    IReadOnlyList<BidPriceBody> PriceHistory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeliveryNote,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeliveryUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Resolution,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? CompletedAt)
{
    public static BidBody From(BidView b) => new(
        b.Id, b.JobPostId, b.PriceCents, b.Message, b.Status, new BidBidder(b.BidderId, b.BidderName, b.BidderRating),
        b.PriceHistory.Select(p => new BidPriceBody(p.PriceCents, p.At)).ToList(), b.DeliveryNote, b.DeliveryUrl, b.Resolution,
        b.CreatedAt, b.UpdatedAt, b.AcceptedAt, b.DeliveredAt, b.CompletedAt);
}

public sealed record CompetitiveContext(int YourRank, int TotalBids, long LowestBidCents, bool IsLowest, string Message);

/// <summary>
/// The post as the seed's accept answers show it: status and acceptedBidsCount, and in multi-bid
/// mode maxAcceptedBids.
/// </summary>
public sealed record JobPostStanding(
    string Id,
    string Status,
    int AcceptedBidsCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxAcceptedBids)
{
    public static JobPostStanding From(JobPostView p) => new(p.Id, p.Status, p.AcceptedBidsCount, p.MultiBid ? p.MaxAcceptedBids : null);
}

/// <summary>
/// POST …/bids: the seed's answer; a bid accepted on arrival (instant accept) also carries the post
/// after it and the pending bids that acceptance rejected, as the accept answer does.
/// </summary>
public sealed record PlaceBidResponse(
    BidBody Bid,
    int TotalBids,
    int OutbidCount,
    CompetitiveContext CompetitiveContext,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JobPostStanding? JobPost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RejectedBids)
{
    public static PlaceBidResponse From(BidPlaced placed) => new(
        BidBody.From(placed.Bid), placed.TotalBids, placed.OutbidCount,
        new CompetitiveContext(placed.Standing.YourRank, placed.Standing.TotalBids, placed.Standing.LowestBidCents, placed.Standing.IsLowest, placed.Standing.Message),
        placed.Post is { } post ? JobPostStanding.From(post) : null,
        placed.Post is null ? null : placed.RejectedBids);
}

public sealed record BidListResponse(IReadOnlyList<BidBody> Bids, long? LowestBid, int TotalBids);

/// <summary>PATCH …/bids/:bidId: the bid and the post after it; rejectedBids after an acceptance, outbidCount after a price change.</summary>
public sealed record UpdateBidResponse(
    BidBody Bid,
    JobPostStanding JobPost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RejectedBids,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? OutbidCount)
{
    public static UpdateBidResponse From(BidChanged changed, UpdateBidRequest request) => new(
        BidBody.From(changed.Bid), JobPostStanding.From(changed.Post),
        request.Status is { } status && status.Equals(BidStatus.Accepted, StringComparison.OrdinalIgnoreCase) ? changed.RejectedBids : null,
        request.Status is null && request.PriceCents is not null ? changed.OutbidCount : null);
}

public sealed record BidResponse(BidBody Bid);
