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
public sealed record UsagePage(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string? SessionId,
    [property: Id(2)] IReadOnlyList<UsageEvent> Events,
    [property: Id(3)] string? NextCursor);

[GenerateSerializer, Immutable]
public sealed record UsageLogQuery(
    [property: Id(0)] string? SessionId,
    [property: Id(1)] int? Limit,
    [property: Id(2)] string? Cursor);

[GenerateSerializer, Immutable]
public sealed record UsageSummary(
    [property: Id(0)] LinkView Link,
    [property: Id(1)] UsageTotals Totals,
    [property: Id(2)] IReadOnlyList<ModelUsage> ByModel,
    [property: Id(3)] IReadOnlyList<SessionUsage> BySession,
    [property: Id(4)] bool SessionsTruncated,
    [property: Id(5)] LinkPlan? Plan,
    [property: Id(6)] IReadOnlyList<ProviderConnection> Providers,
    [property: Id(7)] double Co2eGrams,
    [property: Id(8)] string Co2eMethod);

[GenerateSerializer, Immutable]
public sealed record ModelUsage(
    [property: Id(0)] string Model,
    [property: Id(1)] UsageTotals Totals,
    [property: Id(2)] double Co2eGrams,
    [property: Id(3)] double GramsPerThousandTokens);

[GenerateSerializer, Immutable]
public sealed record LinkPlan(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Band,
    [property: Id(2)] long MonthlyAmountCents,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset SetAt);

/// <summary>Either a band id or a custom monthly amount in cents (exactly one).</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChoice(
    [property: Id(0)] string? Band,
    [property: Id(1)] long? MonthlyAmountCents);

/// <summary>A connected provider admin key as it may be shown: never the key, only a masked hint.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderConnection(
    [property: Id(0)] string Provider,
    [property: Id(1)] string KeyHint,
    [property: Id(2)] DateTimeOffset ConnectedAt);

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
