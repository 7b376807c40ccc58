using Actors.Grains.Identity;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Taskboard;

/// <summary>
/// The webhook events a task sends its claimant (to the identity, <c>agt_…</c>), written in the
/// batch of the row that records their step. Each id names the task, the step and its number
/// (the claim, the revision), so the step written again (a retry, a recovery) writes the event once.
/// </summary>
public static class TaskEvents
{
    public const string Claimed = "task.claimed";
    public const string RevisionRequested = "task.revision_requested";
    public const string Approved = "task.approved";
    public const string Rejected = "task.rejected";
    public const string ClaimExpired = "claim.expired";

    public static string EventId(string taskId, string step, int number) => "evt_" + SecretHash.Of($"{taskId}:{step}:{number}")[..32];

    public static WebhookEvent ClaimedEvent(string taskId, TaskState s) =>
        new(s.ClaimantAgentId!, Claimed, new { taskId, agentId = s.ClaimedBy, expiresAt = s.LeaseExpiresAt }, taskId, EventId(taskId, "claimed", s.ClaimNumber));

    /// <summary><paramref name="before"/>: the state whose lease lapsed (its claimant is told).</summary>
    public static WebhookEvent ExpiredEvent(string taskId, TaskState before, DateTimeOffset expiredAt) =>
        new(before.ClaimantAgentId!, ClaimExpired, new { taskId, agentId = before.ClaimedBy, expiredAt }, taskId, EventId(taskId, "expired", before.ClaimNumber));

    public static WebhookEvent RevisionEvent(string taskId, TaskState s) =>
        new(s.ClaimantAgentId!, RevisionRequested, new { taskId, agentId = s.ClaimedBy, feedback = s.Feedback, expiresAt = s.LeaseExpiresAt },
            taskId, EventId(taskId, "revision", s.Revisions));

    public static WebhookEvent ApprovedEvent(string taskId, TaskState s, int karma) =>
        new(s.ClaimantAgentId!, Approved, new { taskId, agentId = s.ClaimedBy, earned = new { amount = Usdc.FromCents(s.AgentEarnedCents), token = Usdc.Token }, karma },
            taskId, EventId(taskId, "approved", 1));

    public static WebhookEvent RejectedEvent(string taskId, TaskState s) =>
        new(s.ClaimantAgentId!, Rejected, new { taskId, agentId = s.ClaimedBy, reason = s.RejectionReason }, taskId, EventId(taskId, "rejected", 1));
}
