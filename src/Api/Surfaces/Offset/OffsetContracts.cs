using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Grains.Offset;

namespace Actors.Api.Surfaces.Offset;

// Requests and responses in the seed's JSON names (camelCase). Timestamps are epoch milliseconds,
// as link-status shows them in the seed.

public sealed record QuickSignupRequest(string? UserEmail, string? UserName, string? AgentName, string? AgentDescription, string? AgentWebsiteUrl);

public sealed record RegisterRequest(string? Name, string? OwnerEmail, string? Description, string? WebsiteUrl);

public sealed record RegisterResponse(string AgentId, string ApiKey, string ApiKeyPrefix, string Message);

public sealed record SignupUserRequest(string? UserEmail, string? UserName, bool? ExclusiveAgent);

public sealed record SignupResponse(string LinkId, string Status, bool UserCreated, bool ReusedExistingLink, string Message);

public sealed record LinkStatusResponse(
    string LinkId, string Status, bool ExclusiveAgent, long RequestedAt, long? ApprovedAt, long ExpiresAt, long? RevokedAt)
{
    public static LinkStatusResponse From(LinkView v) => new(v.LinkId, v.Status, v.ExclusiveAgent,
        v.RequestedAt.ToUnixTimeMilliseconds(), v.ApprovedAt?.ToUnixTimeMilliseconds(), v.ExpiresAt.ToUnixTimeMilliseconds(),
        v.RevokedAt?.ToUnixTimeMilliseconds());
}

public sealed record ReportUsageRequest(
    string? LinkId, string? SessionId, long? InputTokens, long? OutputTokens, string? Model,
    long? CachedInputTokens, long? ReasoningTokens, string? ClientEventId);

public sealed record ReportUsageResponse(bool Success, long EventId, string LinkId, string SessionId, bool Duplicate, long ReportedAt);

public sealed record UsageEventDto(
    long EventId, string SessionId, string Model, long InputTokens, long OutputTokens, long CachedInputTokens,
    long ReasoningTokens, long TotalTokens, string? ClientEventId, long ReportedAt)
{
    public static UsageEventDto From(UsageEvent e) => new(e.EventId, e.SessionId, e.Model, e.InputTokens, e.OutputTokens,
        e.CachedInputTokens, e.ReasoningTokens, e.InputTokens + e.OutputTokens + e.ReasoningTokens, e.ClientEventId,
        e.ReportedAt.ToUnixTimeMilliseconds());
}

public sealed record UsageLogResponse(string LinkId, string? SessionId, IReadOnlyList<UsageEventDto> Events, bool HasMore, string? NextCursor);

public sealed record TotalsDto(long Events, long InputTokens, long OutputTokens, long CachedInputTokens, long ReasoningTokens, long TotalTokens)
{
    public static TotalsDto From(UsageTotals t) => new(t.Events, t.InputTokens, t.OutputTokens, t.CachedInputTokens, t.ReasoningTokens, t.TotalTokens);
}

public sealed record ModelUsageDto(string Model, TotalsDto Totals, double Co2eGrams, double GramsPerThousandTokens);

public sealed record SessionUsageDto(string SessionId, TotalsDto Totals, long FirstReportedAt, long LastReportedAt);

public sealed record PlanDto(string Type, string? Band, long MonthlyAmountCents, string Currency, long SetAt)
{
    public static PlanDto? From(LinkPlan? p) => p is null ? null : new(p.Type, p.Band, p.MonthlyAmountCents, p.Currency, p.SetAt.ToUnixTimeMilliseconds());
}

public sealed record ProviderDto(string Provider, bool Connected, string KeyHint, long ConnectedAt)
{
    public static ProviderDto From(ProviderConnection p) => new(p.Provider, true, p.KeyHint, p.ConnectedAt.ToUnixTimeMilliseconds());

    public static ProviderDto From(ConnectProviderResponse connected) => new(connected.Provider, true, connected.KeyHint, connected.ConnectedAt);
}

public sealed record Co2eDto(double Grams, double Kilograms, string Method);

public sealed record UsageSummaryResponse(
    string LinkId, string Status, TotalsDto Totals, IReadOnlyList<ModelUsageDto> ByModel, IReadOnlyList<SessionUsageDto> BySession,
    bool SessionsTruncated, PlanDto? Plan, IReadOnlyList<ProviderDto> Providers, Co2eDto Co2e)
{
    public static UsageSummaryResponse From(UsageSummary s) => new(
        s.Link.LinkId, s.Link.Status, TotalsDto.From(s.Totals),
        s.ByModel.Select(m => new ModelUsageDto(m.Model, TotalsDto.From(m.Totals), m.Co2eGrams, m.GramsPerThousandTokens)).ToList(),
        s.BySession.Select(x => new SessionUsageDto(x.SessionId, TotalsDto.From(x.Totals),
            x.FirstReportedAt.ToUnixTimeMilliseconds(), x.LastReportedAt.ToUnixTimeMilliseconds())).ToList(),
        s.SessionsTruncated, PlanDto.From(s.Plan), s.Providers.Select(ProviderDto.From).ToList(),
        new Co2eDto(s.Co2eGrams, Math.Round(s.Co2eGrams / 1000, 6), s.Co2eMethod));
}

public sealed record SetPlanRequest(string? LinkId, string? Band, long? MonthlyAmountCents);

public sealed record SetPlanResponse(bool Success, string LinkId, PlanDto Plan, string Message);

public sealed record ConnectProviderRequest(string? LinkId, string? Provider, string? ApiKey);

public sealed record ConnectProviderResponse(bool Success, string LinkId, string Provider, string KeyHint, long ConnectedAt, string Message);

public sealed record UsageBandDto(string Id, string Name, long MinMonthlyTokens, long? MaxMonthlyTokens, long MonthlyAmountCents, string Currency, string Description);

public sealed record CustomAmountDto(long MinMonthlyAmountCents, long MaxMonthlyAmountCents);

public sealed record UsageBandsResponse(IReadOnlyList<UsageBandDto> Bands, CustomAmountDto Custom);

/// <summary>The seed's error shape: <c>{"error": "..."}</c> (plus the request member at fault, when there is one).</summary>
public sealed record OffsetError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

/// <summary>
/// Compile-time JSON metadata for the hot path (report-usage), added in front of the API's
/// resolver chain: the same web defaults and names, without reflection-built contracts.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportUsageRequest))]
[JsonSerializable(typeof(ReportUsageResponse))]
[JsonSerializable(typeof(OffsetError))]
internal sealed partial class OffsetJsonContext : JsonSerializerContext;
