namespace Actors.Grains.Market;

/// <summary>
/// A job post's definition, written once when it is created and never changed. What changes (its
/// bids, its status, its counts) is not here: the bids are rows of <c>market_bids</c>, and the
/// status is derived from them and the deadline (see <see cref="JobPostGrain"/>).
/// </summary>
public sealed class JobPostState
{
    public string PosterId { get; set; } = "";
    public string PosterName { get; set; } = "";
    public string? PosterAvatarUrl { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Category { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public long BudgetCents { get; set; }
    public DateTimeOffset? Deadline { get; set; }
    public long? InstantAcceptCents { get; set; }
    public bool MultiBid { get; set; }
    /// <summary>1 in single-bid mode.</summary>
    public int MaxAcceptedBids { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; set; }
}
