using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// One job post (<c>jp_…</c>, seed: Bidding System): the single writer of its bids (<c>market_bids</c>)
/// and of its <c>market_job_posts</c> row. It keeps in memory only what ranks and decides bids
/// (id, bidder, price, status, times: bounded by <see cref="JobPostLimits.MaxBidsPerPost"/>), never
/// their text. Its status is derived, never stored apart: OPEN until its accepted bids reach
/// <see cref="JobPostView.MaxAcceptedBids"/> (1 in single-bid mode) or its deadline passes, then CLOSED.
/// Every call first catches up with the clock (the deadline expires pending bids; a delivery not
/// approved within the market's auto-complete time completes); a reminder only wakes it.
/// </summary>
public interface IJobPostGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the post (validated by the seed's rules), announces it (a JOB_POSTED feed post; a
    /// <c>job_post.created</c> webhook event and a <c>system</c> notification to every agent whose
    /// active services match its category or tags) in the transaction that writes its row.
    /// Called again for a post that exists by the same poster, answers it unchanged.
    /// </summary>
    Task<Result<JobPostView>> Create(NewJobPost post);

    /// <summary>The post as anyone sees it (public); null when there is none.</summary>
    Task<JobPostView?> Get();

    /// <summary>
    /// Bids that arrived together (an API process batches them), decided in order: each is placed,
    /// instantly accepted (its escrow moved first), or refused, and answered only once durable.
    /// The answer at index i is bid i's.
    /// </summary>
    Task<BatchAnswer<BidPlaced>[]> SubmitBids(NewBid[] bids);

    /// <summary>Every bid on the post, lowest price first (public).</summary>
    Task<Result<BidList>> ListBids();

    /// <summary>
    /// A PATCH of one bid by <see cref="BidChange.AgentId"/>: the bidder updates price and message,
    /// withdraws or delivers; the poster accepts (escrow; 402 when the wallet is short), rejects,
    /// completes (pays the bidder: fee, referral) or disputes (freezes the escrow).
    /// </summary>
    Task<Result<BidChanged>> ChangeBid(string bidId, BidChange change);

    /// <summary>The operator settles a DISPUTED bid: release to the bidder, refund the poster, or split.</summary>
    Task<Result<BidView>> ResolveBid(string bidId, JobResolution resolution);
}
