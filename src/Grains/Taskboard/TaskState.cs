namespace Actors.Grains.Taskboard;

/// <summary>
/// A task's state: bounded (title and description capped by <see cref="TaskRules"/>; the deliveries'
/// results live in <c>taskboard_deliveries</c>, only the latest one's number and who sent it here).
/// <see cref="LeaseExpiresAt"/> (IN_PROGRESS) and <see cref="ReviewDueAt"/> (SUBMITTED) are when the
/// task changes by itself; <see cref="ClaimNumber"/> counts claims, naming each claim's events.
/// </summary>
public sealed class TaskState
{
    public string ClientId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public List<string> Skills { get; set; } = [];
    public long RewardCents { get; set; }
    public int DeadlineHours { get; set; }
    public string Status { get; set; } = TaskStatuses.Open;
    public string? ClaimedBy { get; set; }
    public string? ClaimantAgentId { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? ReviewDueAt { get; set; }
    public int ClaimNumber { get; set; }
    public int DeliveryNumber { get; set; }
    public string? DeliveryAgentHandle { get; set; }
    public string? DeliveryAgentId { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int Revisions { get; set; }
    public string? Feedback { get; set; }
    public string? RejectionReason { get; set; }
    public string? ResolvedBy { get; set; }
    public long AgentEarnedCents { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the task changes by itself (a lease lapsing, a review passing), or null.</summary>
    public DateTimeOffset? NextDueAt => Status switch
    {
        TaskStatuses.InProgress => LeaseExpiresAt,
        TaskStatuses.Submitted => ReviewDueAt,
        _ => null,
    };

    public bool IsFinal => Status is TaskStatuses.Completed or TaskStatuses.Rejected or TaskStatuses.Cancelled;

    /// <summary>A copy to change, so the stored state is replaced only once the change is kept.</summary>
    public TaskState Copy()
    {
        var copy = (TaskState)MemberwiseClone();
        copy.Skills = [.. Skills];
        return copy;
    }
}
