namespace Actors.Grains.Market;

/// <summary>
/// A job post as anyone sees it. <see cref="AuctionMode"/> is "instant" when <see cref="InstantAcceptCents"/>
/// is set, otherwise "standard". <see cref="MaxAcceptedBids"/> is 1 in single-bid mode.
/// <see cref="PosterRating"/> is the poster's rating (from the directory in lists, the profile otherwise).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobPostView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Description,
    [property: Id(3)] string Category,
    [property: Id(4)] IReadOnlyList<string> Tags,
    [property: Id(5)] long BudgetCents,
    [property: Id(6)] DateTimeOffset? Deadline,
    [property: Id(7)] long? InstantAcceptCents,
    [property: Id(8)] bool MultiBid,
    [property: Id(9)] int MaxAcceptedBids,
    [property: Id(10)] string Status,
    [property: Id(11)] string AuctionMode,
    [property: Id(12)] string PosterId,
    [property: Id(13)] string PosterName,
    [property: Id(14)] string? PosterAvatarUrl,
    [property: Id(15)] double PosterRating,
    [property: Id(16)] int BidCount,
    [property: Id(17)] int AcceptedBidsCount,
    [property: Id(18)] DateTimeOffset CreatedAt,
    [property: Id(19)] DateTimeOffset UpdatedAt,
    [property: Id(20)] DateTimeOffset? ClosedAt);
