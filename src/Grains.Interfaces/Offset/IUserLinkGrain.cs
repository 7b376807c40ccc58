using Actors.Grains.Platform;

namespace Actors.Grains.Offset;

/// <summary>
/// One agent ↔ human link (<c>lnk_…</c>): pending until the human approves from the emailed
/// link, expired 14 days after the request (checked on every use), revoked by the human.
/// Only the agent that asked for the link may read or use it; any other agent sees "not found".
/// </summary>
public interface IUserLinkGrain : IGrainWithStringKey
{
    /// <summary>Creates the pending link and enqueues its approval email (once; a repeat returns the link).</summary>
    Task<Result<LinkView>> Open(NewLink link);

    [ReadOnly]
    Task<Result<LinkView>> GetStatus(string agentId);

    /// <summary>Validates and durably appends one usage event; the link must be approved.</summary>
    [AlwaysInterleave]
    Task<Result<UsageRecorded>> ReportUsage(string agentId, UsageReport report);

    [ReadOnly]
    Task<Result<UsagePage>> GetUsageLog(string agentId, UsageLogQuery query);

    [ReadOnly]
    Task<Result<UsageSummary>> GetUsageSummary(string agentId);

    Task<Result<LinkPlan>> SetPlan(string agentId, PlanChoice choice);

    Task<Result<ProviderConnection>> ConnectProvider(string agentId, string? provider, string? apiKey);

    /// <summary>What the approval page shows; null when the token does not open this link.</summary>
    [ReadOnly]
    Task<ApprovalPrompt?> GetApprovalPrompt(string approvalToken);

    /// <summary>The human's explicit approval (a POST from the page); repeating it is harmless.</summary>
    Task<Result<LinkView>> Approve(string approvalToken);

    /// <summary>The human (identified by their account key) revokes the agent's access to this link.</summary>
    Task<Result<LinkView>> Revoke(string humanKey);

    /// <summary>The link as its human sees it on the dashboard; null for anyone else.</summary>
    [ReadOnly]
    Task<HumanLinkView?> GetForHuman(string humanKey);
}

/// <summary>
/// Stateless entry point for signups: finds or creates the human account, reuses a live link
/// of the same agent, enforces one approval email per recipient per hour, opens new links.
/// </summary>
public interface ILinkRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry has one key.</summary>
    const string Key = "links";

    Task<Result<SignupOutcome>> SignupUser(UserSignup signup);

    /// <summary>No bearer key: creates (or reuses) an agent identity for the named product, then signs the user up.</summary>
    Task<Result<SignupOutcome>> QuickSignup(QuickSignup signup);

    /// <summary>Registers an agent for the offset surface (validates the website, then the shared registry).</summary>
    Task<Result<Identity.AgentCreated>> RegisterAgent(OffsetAgentRegistration registration);
}

[GenerateSerializer, Immutable]
public sealed record OffsetAgentRegistration(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? OwnerEmail,
    [property: Id(3)] string? WebsiteUrl,
    [property: Id(4)] string KeyPrefix);

public static class LinkStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
}

[GenerateSerializer, Immutable]
public sealed record NewLink(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string AgentName,
    [property: Id(2)] string HumanKey,
    [property: Id(3)] string UserEmail,
    [property: Id(4)] string? UserName,
    [property: Id(5)] bool ExclusiveAgent,
    [property: Id(6)] string? AgentDescription,
    [property: Id(7)] string? AgentWebsiteUrl);

[GenerateSerializer, Immutable]
public sealed record LinkView(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string Status,
    [property: Id(2)] bool ExclusiveAgent,
    [property: Id(3)] DateTimeOffset RequestedAt,
    [property: Id(4)] DateTimeOffset? ApprovedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt);

[GenerateSerializer, Immutable]
public sealed record UserSignup(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string? UserEmail,
    [property: Id(2)] string? UserName,
    [property: Id(3)] bool ExclusiveAgent);

[GenerateSerializer, Immutable]
public sealed record QuickSignup(
    [property: Id(0)] string? UserEmail,
    [property: Id(1)] string? UserName,
    [property: Id(2)] string? AgentName,
    [property: Id(3)] string? AgentDescription,
    [property: Id(4)] string? AgentWebsiteUrl,
    [property: Id(5)] string KeyPrefix);

[GenerateSerializer, Immutable]
public sealed record SignupOutcome(
    [property: Id(0)] LinkView Link,
    [property: Id(1)] bool UserCreated,
    [property: Id(2)] bool ReusedExistingLink,
    [property: Id(3)] bool EmailSent);

[GenerateSerializer, Immutable]
public sealed record ApprovalPrompt(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string AgentName,
    [property: Id(2)] string? AgentDescription,
    [property: Id(3)] string? AgentWebsiteUrl,
    [property: Id(4)] string UserEmail,
    [property: Id(5)] string Status,
    [property: Id(6)] bool ExclusiveAgent,
    [property: Id(7)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable]
public sealed record HumanLinkView(
    [property: Id(0)] LinkView Link,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string AgentName,
    [property: Id(3)] UsageTotals Usage,
    [property: Id(4)] LinkPlan? Plan);

/// <summary>
/// Takes the usage reports an API process gathered from many agents and links in one call, so a
/// busy API crosses the network once per batch instead of once per report. Each report goes to
/// its own link grain, which decides it exactly as <see cref="IUserLinkGrain.ReportUsage"/> does.
/// </summary>
public interface IUsageIntakeGrain : IGrainWithStringKey
{
    /// <summary>The intake is a stateless worker: one key, an activation per silo that receives batches.</summary>
    const string Key = "usage-intake";

    /// <summary>The answer at index i belongs to report i.</summary>
    Task<BatchAnswer<UsageRecorded>[]> Report(AgentUsageReport[] reports);
}

[GenerateSerializer, Immutable]
public sealed record AgentUsageReport(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string LinkId,
    [property: Id(2)] UsageReport Report);
