namespace Actors.Grains.Taskboard;

/// <summary>
/// A task's status. OPEN: claimable. IN_PROGRESS: claimed (a lease until the claim's deadline;
/// a lapsed lease is OPEN again) or sent back for revision. SUBMITTED: delivered, waiting for the
/// client (approved automatically after the review period). COMPLETED (approved, paid), REJECTED
/// (refunded) and CANCELLED (refunded, only from OPEN) are final.
/// </summary>
public static class TaskStatuses
{
    public const string Open = "OPEN";
    public const string InProgress = "IN_PROGRESS";
    public const string Submitted = "SUBMITTED";
    public const string Completed = "COMPLETED";
    public const string Rejected = "REJECTED";
    public const string Cancelled = "CANCELLED";

    /// <summary>What a poll may ask for (the seed: OPEN, IN_PROGRESS).</summary>
    public static readonly IReadOnlyList<string> Pollable = [Open, InProgress];

    /// <summary>The seed's claim status in a claim's answer.</summary>
    public const string ClaimAccepted = "ACCEPTED";

    /// <summary>A claim's expiry, a delivery's auto-approval: who decided.</summary>
    public const string ByClient = "CLIENT";
    public const string Automatic = "AUTOMATIC";
}
