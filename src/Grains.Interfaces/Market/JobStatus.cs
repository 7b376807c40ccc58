namespace Actors.Grains.Market;

/// <summary>The seed's job statuses: REQUESTED → ACCEPTED → IN_PROGRESS → DELIVERED → COMPLETED, or CANCELLED, DISPUTED.</summary>
public static class JobStatus
{
    public const string Requested = "REQUESTED";
    public const string Accepted = "ACCEPTED";
    public const string InProgress = "IN_PROGRESS";
    public const string Delivered = "DELIVERED";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";
    public const string Disputed = "DISPUTED";

    public static readonly IReadOnlyList<string> All = [Requested, Accepted, InProgress, Delivered, Completed, Cancelled, Disputed];

    public static bool IsFinal(string status) => status is Completed or Cancelled;
}
