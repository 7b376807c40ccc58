namespace Actors.Grains.Offset;

/// <summary>One model turn as an agent reports it (unvalidated: the link grain checks it).</summary>
[GenerateSerializer, Immutable]
public sealed record UsageReport(
    [property: Id(0)] string? SessionId,
    [property: Id(1)] string? Model,
    [property: Id(2)] long? InputTokens,
    [property: Id(3)] long? OutputTokens,
    [property: Id(4)] long? CachedInputTokens,
    [property: Id(5)] long? ReasoningTokens,
    [property: Id(6)] string? ClientEventId);

[GenerateSerializer, Immutable]
public sealed record UsageRecorded(
    [property: Id(0)] long EventId,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] DateTimeOffset ReportedAt);

[GenerateSerializer, Immutable]
public sealed record UsageLogQuery(
    [property: Id(0)] string? SessionId,
    [property: Id(1)] int? Limit,
    [property: Id(2)] string? Cursor);

[GenerateSerializer, Immutable]
public sealed record UsageEvent(
    [property: Id(0)] long EventId,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string Model,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] long CachedInputTokens,
    [property: Id(6)] long ReasoningTokens,
    [property: Id(7)] string? ClientEventId,
    [property: Id(8)] DateTimeOffset ReportedAt);

[GenerateSerializer, Immutable]
public sealed record UsagePage(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string? SessionId,
    [property: Id(2)] IReadOnlyList<UsageEvent> Events,
    [property: Id(3)] string? NextCursor);

[GenerateSerializer, Immutable]
public sealed record UsageTotals(
    [property: Id(0)] long Events,
    [property: Id(1)] long InputTokens,
    [property: Id(2)] long OutputTokens,
    [property: Id(3)] long CachedInputTokens,
    [property: Id(4)] long ReasoningTokens)
{
    public static readonly UsageTotals Zero = new(0, 0, 0, 0, 0);
    public long TotalTokens => InputTokens + OutputTokens + ReasoningTokens;
}

[GenerateSerializer, Immutable]
public sealed record ModelUsage(
    [property: Id(0)] string Model,
    [property: Id(1)] UsageTotals Totals,
    [property: Id(2)] double Co2eGrams,
    [property: Id(3)] double GramsPerThousandTokens);

[GenerateSerializer, Immutable]
public sealed record SessionUsage(
    [property: Id(0)] string SessionId,
    [property: Id(1)] UsageTotals Totals,
    [property: Id(2)] DateTimeOffset FirstReportedAt,
    [property: Id(3)] DateTimeOffset LastReportedAt);

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
