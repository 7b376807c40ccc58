using System.Globalization;
using Actors.Grains.Offset;
using Actors.Grains.Platform;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// What the offset surface does, once for both of its doors: the HTTP routes
/// (<see cref="OffsetEndpoints"/>) and the MCP tools (<see cref="OffsetMcpTools"/>). Each operation
/// keeps out of the grains what is not theirs (a missing or foreign link id), calls one grain and
/// answers in the seed's response shape, or with the grain's problem; each door only says how a
/// problem is told (the seed's error JSON with its status, a tool error).
/// </summary>
public sealed class OffsetOperations(IClusterClient orleans, UsageReports reports)
{
    /// <summary>The preset bands and the custom range: fixed, so built once.</summary>
    public static readonly UsageBandsResponse Bands = new(
        UsageBands.All.Select(b => new UsageBandDto(b.Id, b.Name, b.MinMonthlyTokens, b.MaxMonthlyTokens, b.MonthlyAmountCents,
            UsageBands.Currency, b.Description)).ToList(),
        new CustomAmountDto(UsageBands.MinCustomAmountCents, UsageBands.MaxCustomAmountCents));

    ILinkRegistryGrain Registry => orleans.GetGrain<ILinkRegistryGrain>(ILinkRegistryGrain.Key);

    public async Task<Result<SignupResponse>> QuickSignup(QuickSignupRequest request) =>
        Map(await Registry.QuickSignup(new QuickSignup(
                request.UserEmail, request.UserName, request.AgentName, request.AgentDescription, request.AgentWebsiteUrl, OffsetEndpoints.KeyPrefix)),
            outcome => Signup(outcome,
                "Approval email sent to the user (rate limit: 1/hour per email). The link is inactive until they click it."));

    public async Task<Result<RegisterResponse>> Register(RegisterRequest request) =>
        Map(await Registry.RegisterAgent(new OffsetAgentRegistration(
                request.Name, request.Description, request.OwnerEmail, request.WebsiteUrl, OffsetEndpoints.KeyPrefix)),
            created => new RegisterResponse(created.Agent.Id, created.ApiKey, OffsetEndpoints.KeyPrefix, "Save this apiKey somewhere safe. It's only shown once."));

    public async Task<Result<SignupResponse>> SignupUser(string agentId, SignupUserRequest request) =>
        Map(await Registry.SignupUser(new UserSignup(agentId, request.UserEmail, request.UserName, request.ExclusiveAgent ?? false)),
            outcome => Signup(outcome, "Approval email sent to the user. The link is inactive until they approve (within 14 days)."));

    public async Task<Result<LinkStatusResponse>> LinkStatus(string agentId, string? linkId) =>
        Map(await OnLink(linkId, id => Link(id).GetStatus(agentId)), LinkStatusResponse.From);

    public async Task<Result<ReportUsageResponse>> ReportUsage(string agentId, ReportUsageRequest request) =>
        Map(await OnLink(request.LinkId, id => reports.Report(agentId, id, new UsageReport(
                request.SessionId, request.Model, request.InputTokens, request.OutputTokens,
                request.CachedInputTokens, request.ReasoningTokens, request.ClientEventId))),
            recorded => new ReportUsageResponse(true, recorded.EventId, request.LinkId!, request.SessionId!.Trim(),
                recorded.Duplicate, recorded.ReportedAt.ToUnixTimeMilliseconds()));

    public async Task<Result<UsageLogResponse>> UsageLog(string agentId, string? linkId, UsageLogQuery query) =>
        Map(await OnLink(linkId, id => Link(id).GetUsageLog(agentId, query)),
            page => new UsageLogResponse(page.LinkId, page.SessionId, page.Events.Select(UsageEventDto.From).ToList(),
                page.NextCursor is not null, page.NextCursor));

    public async Task<Result<UsageSummaryResponse>> UsageSummary(string agentId, string? linkId) =>
        Map(await OnLink(linkId, id => Link(id).GetUsageSummary(agentId)), UsageSummaryResponse.From);

    public async Task<Result<SetPlanResponse>> SetPlan(string agentId, SetPlanRequest request) =>
        Map(await OnLink(request.LinkId, id => Link(id).SetPlan(agentId, new PlanChoice(request.Band, request.MonthlyAmountCents))),
            plan =>
            {
                var amount = (plan.MonthlyAmountCents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
                return new SetPlanResponse(true, request.LinkId!, PlanDto.From(plan)!,
                    plan.Band is null ? $"Custom offset plan set: ${amount} a month." : $"Offset plan set to the {plan.Band} band: ${amount} a month.");
            });

    public async Task<Result<ConnectProviderResponse>> ConnectProvider(string agentId, ConnectProviderRequest request) =>
        Map(await OnLink(request.LinkId, id => Link(id).ConnectProvider(agentId, request.Provider, request.ApiKey)),
            connection => new ConnectProviderResponse(true, request.LinkId!, connection.Provider, connection.KeyHint,
                connection.ConnectedAt.ToUnixTimeMilliseconds(), "Provider connected. The key is stored encrypted and never shown again."));

    static SignupResponse Signup(SignupOutcome outcome, string sentMessage) => new(
        outcome.Link.LinkId, outcome.Link.Status, outcome.UserCreated, outcome.ReusedExistingLink,
        !outcome.ReusedExistingLink ? sentMessage
        : outcome.Link.Status == Grains.Offset.LinkStatus.Approved ? "The user already approved this agent; the existing link is active."
        : "An approval email for this link was already sent; the link is inactive until the user approves it.");

    IUserLinkGrain Link(string linkId) => orleans.GetGrain<IUserLinkGrain>(linkId);

    /// <summary>
    /// Ids that are not ours never reach a grain: a missing one is a 400, a foreign-looking one
    /// unknown. The call gets the id trimmed.
    /// </summary>
    static async Task<Result<T>> OnLink<T>(string? linkId, Func<string, Task<Result<T>>> call) =>
        string.IsNullOrWhiteSpace(linkId) ? Problem.Invalid("linkId", "linkId is required")
        : linkId.Trim() is not { Length: <= 64 } id || !id.StartsWith("lnk_", StringComparison.Ordinal) ? Problem.NotFound("Link not found")
        : await call(id);

    static Result<TOut> Map<TIn, TOut>(Result<TIn> result, Func<TIn, TOut> answer) =>
        result.Problem is { } problem ? problem : Result<TOut>.Ok(answer(result.Value!));
}
