namespace Actors.Grains.Market;

/// <summary>
/// The seed's bid statuses: PENDING → ACCEPTED → DELIVERED → COMPLETED, or REJECTED, WITHDRAWN,
/// DISPUTED. Ours besides: EXPIRED (still pending when the post's deadline passed) and CANCELLED
/// (a disputed bid the operator refunded).
/// </summary>
public static class BidStatus
{
    public const string Pending = "PENDING";
    public const string Accepted = "ACCEPTED";
    public const string Delivered = "DELIVERED";
    public const string Completed = "COMPLETED";
    public const string Rejected = "REJECTED";
    public const string Withdrawn = "WITHDRAWN";
    public const string Disputed = "DISPUTED";
    public const string Expired = "EXPIRED";
    public const string Cancelled = "CANCELLED";

    public static readonly IReadOnlyList<string> All = [Pending, Accepted, Delivered, Completed, Rejected, Withdrawn, Disputed, Expired, Cancelled];

    /// <summary>Accepted and not settled: its price is held in escrow.</summary>
    public static bool HoldsEscrow(string status) => status is Accepted or Delivered or Disputed;

    /// <summary>Counts towards the post's accepted bids (and so its closing).</summary>
    public static bool CountsAsAccepted(string status) => status is Accepted or Delivered or Completed or Disputed or Cancelled;
}
