using System.Globalization;
using Actors.Api.Http;
using Actors.Grains.Platform;
using Actors.Grains.Offset;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Surfaces.Offset;

/// <summary>The token-offset surface (seed 000), under <c>/offset</c>.</summary>
public static class OffsetEndpoints
{
    /// <summary>Keys issued by this surface carry the seed's prefix.</summary>
    public const string KeyPrefix = "to_agent";

    public static RouteGroupBuilder MapOffset(this IEndpointRouteBuilder app)
    {
        var offset = app.MapGroup("/offset").WithTags("offset");
        ApprovePage.Map(offset);

        var open = offset.MapGroup("/api/agents");
        // Without a key, the only handle on abuse is the caller's address (the per-email hour still applies).
        open.MapPost("/quick-signup", QuickSignup).RequireRateLimit("offset-quick-signup", 60, TimeSpan.FromMinutes(1),
            http => http.Connection.RemoteIpAddress?.ToString(),
            decision => TypedResults.Json(new OffsetError(
                $"Rate limit: too many quick signups from this address. Try again in {decision.RetryAfterSeconds} seconds."),
                statusCode: StatusCodes.Status429TooManyRequests));
        open.MapPost("/register", Register);
        open.MapGet("/usage-bands", GetUsageBands);

        var agents = offset.MapGroup("/api/agents").RequireAuthorization();
        agents.MapPost("/signup-user", SignupUser);
        agents.MapGet("/link-status", GetLinkStatus);
        agents.MapPost("/report-usage", ReportUsage);
        agents.MapGet("/usage-log", GetUsageLog);
        agents.MapGet("/usage-summary", GetUsageSummary);
        agents.MapPost("/set-plan", SetPlan);
        agents.MapPost("/connect-provider", ConnectProvider);

        OffsetDashboardSection.Map(app);
        app.MapMcp("/offset/mcp").RequireAuthorization().ExcludeFromDescription();
        return offset;
    }

    static async Task<Results<Ok<SignupResponse>, JsonHttpResult<OffsetError>>> QuickSignup(
        QuickSignupRequest request, IClusterClient orleans, HttpContext http)
    {
        var result = await orleans.GetGrain<ILinkRegistryGrain>(ILinkRegistryGrain.Key).QuickSignup(new QuickSignup(
            request.UserEmail, request.UserName, request.AgentName, request.AgentDescription, request.AgentWebsiteUrl, KeyPrefix));
        if (result.Problem is { } problem) return Error(http, problem);
        var outcome = result.Value!;
        return TypedResults.Ok(new SignupResponse(outcome.Link.LinkId, outcome.Link.Status, outcome.UserCreated, outcome.ReusedExistingLink,
            outcome.ReusedExistingLink
                ? ReusedMessage(outcome.Link.Status)
                : "Approval email sent to the user (rate limit: 1/hour per email). The link is inactive until they click it."));
    }

    static async Task<Results<Created<RegisterResponse>, JsonHttpResult<OffsetError>>> Register(
        RegisterRequest request, IClusterClient orleans, HttpContext http)
    {
        var result = await orleans.GetGrain<ILinkRegistryGrain>(ILinkRegistryGrain.Key).RegisterAgent(new OffsetAgentRegistration(
            request.Name, request.Description, request.OwnerEmail, request.WebsiteUrl, KeyPrefix));
        if (result.Problem is { } problem) return Error(http, problem);
        var created = result.Value!;
        return TypedResults.Created("/offset/api/agents/link-status",
            new RegisterResponse(created.Agent.Id, created.ApiKey, KeyPrefix, "Save this apiKey somewhere safe. It's only shown once."));
    }

    static Ok<UsageBandsResponse> GetUsageBands() => TypedResults.Ok(new UsageBandsResponse(
        UsageBands.All.Select(b => new UsageBandDto(b.Id, b.Name, b.MinMonthlyTokens, b.MaxMonthlyTokens, b.MonthlyAmountCents,
            UsageBands.Currency, b.Description)).ToList(),
        new CustomAmountDto(UsageBands.MinCustomAmountCents, UsageBands.MaxCustomAmountCents)));

    static async Task<Results<Ok<SignupResponse>, JsonHttpResult<OffsetError>>> SignupUser(
        SignupUserRequest request, AgentPrincipal caller, IClusterClient orleans, HttpContext http)
    {
        var result = await orleans.GetGrain<ILinkRegistryGrain>(ILinkRegistryGrain.Key).SignupUser(new UserSignup(
            caller.AgentId, request.UserEmail, request.UserName, request.ExclusiveAgent ?? false));
        if (result.Problem is { } problem) return Error(http, problem);
        var outcome = result.Value!;
        return TypedResults.Ok(new SignupResponse(outcome.Link.LinkId, outcome.Link.Status, outcome.UserCreated, outcome.ReusedExistingLink,
            outcome.ReusedExistingLink
                ? ReusedMessage(outcome.Link.Status)
                : "Approval email sent to the user. The link is inactive until they approve (within 14 days)."));
    }

    static string ReusedMessage(string status) => status == LinkStatus.Approved
        ? "The user already approved this agent; the existing link is active."
        : "An approval email for this link was already sent; the link is inactive until the user approves it.";

    static async Task<Results<Ok<LinkStatusResponse>, JsonHttpResult<OffsetError>>> GetLinkStatus(
        string? linkId, AgentPrincipal caller, IClusterClient orleans, HttpContext http)
    {
        if (CheckLinkId(linkId) is { } bad) return Error(http, bad);
        var result = await Link(orleans, linkId!).GetStatus(caller.AgentId);
        return result.Problem is { } problem ? Error(http, problem) : TypedResults.Ok(LinkStatusResponse.From(result.Value!));
    }

    static async Task<Results<Ok<ReportUsageResponse>, JsonHttpResult<OffsetError>>> ReportUsage(
        ReportUsageRequest request, AgentPrincipal caller, UsageReports reports, HttpContext http)
    {
        if (CheckLinkId(request.LinkId) is { } bad) return Error(http, bad);
        var result = await reports.Report(caller.AgentId, request.LinkId!.Trim(), new UsageReport(
            request.SessionId, request.Model, request.InputTokens, request.OutputTokens,
            request.CachedInputTokens, request.ReasoningTokens, request.ClientEventId));
        if (result.Problem is { } problem) return Error(http, problem);
        var recorded = result.Value!;
        return TypedResults.Ok(new ReportUsageResponse(true, recorded.EventId, request.LinkId!, request.SessionId!.Trim(),
            recorded.Duplicate, recorded.ReportedAt.ToUnixTimeMilliseconds()));
    }

    static async Task<Results<Ok<UsageLogResponse>, JsonHttpResult<OffsetError>>> GetUsageLog(
        string? linkId, AgentPrincipal caller, IClusterClient orleans, HttpContext http,
        string? sessionId = null, int? limit = null, string? cursor = null)
    {
        if (CheckLinkId(linkId) is { } bad) return Error(http, bad);
        var result = await Link(orleans, linkId!).GetUsageLog(caller.AgentId, new UsageLogQuery(sessionId, limit, cursor));
        if (result.Problem is { } problem) return Error(http, problem);
        var page = result.Value!;
        return TypedResults.Ok(new UsageLogResponse(page.LinkId, page.SessionId, page.Events.Select(UsageEventDto.From).ToList(),
            page.NextCursor is not null, page.NextCursor));
    }

    static async Task<Results<Ok<UsageSummaryResponse>, JsonHttpResult<OffsetError>>> GetUsageSummary(
        string? linkId, AgentPrincipal caller, IClusterClient orleans, HttpContext http)
    {
        if (CheckLinkId(linkId) is { } bad) return Error(http, bad);
        var result = await Link(orleans, linkId!).GetUsageSummary(caller.AgentId);
        return result.Problem is { } problem ? Error(http, problem) : TypedResults.Ok(UsageSummaryResponse.From(result.Value!));
    }

    static async Task<Results<Ok<SetPlanResponse>, JsonHttpResult<OffsetError>>> SetPlan(
        SetPlanRequest request, AgentPrincipal caller, IClusterClient orleans, HttpContext http)
    {
        if (CheckLinkId(request.LinkId) is { } bad) return Error(http, bad);
        var result = await Link(orleans, request.LinkId!).SetPlan(caller.AgentId, new PlanChoice(request.Band, request.MonthlyAmountCents));
        if (result.Problem is { } problem) return Error(http, problem);
        var plan = result.Value!;
        var amount = (plan.MonthlyAmountCents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        return TypedResults.Ok(new SetPlanResponse(true, request.LinkId!, PlanDto.From(plan)!,
            plan.Band is null ? $"Custom offset plan set: ${amount} a month." : $"Offset plan set to the {plan.Band} band: ${amount} a month."));
    }

    static async Task<Results<Ok<ConnectProviderResponse>, JsonHttpResult<OffsetError>>> ConnectProvider(
        ConnectProviderRequest request, AgentPrincipal caller, IClusterClient orleans, HttpContext http)
    {
        if (CheckLinkId(request.LinkId) is { } bad) return Error(http, bad);
        var result = await Link(orleans, request.LinkId!).ConnectProvider(caller.AgentId, request.Provider, request.ApiKey);
        if (result.Problem is { } problem) return Error(http, problem);
        var connection = result.Value!;
        return TypedResults.Ok(new ConnectProviderResponse(true, request.LinkId!, connection.Provider, connection.KeyHint,
            connection.ConnectedAt.ToUnixTimeMilliseconds(), "Provider connected. The key is stored encrypted and never shown again."));
    }

    static IUserLinkGrain Link(IClusterClient orleans, string linkId) => orleans.GetGrain<IUserLinkGrain>(linkId.Trim());

    /// <summary>Ids that are not ours never reach a grain: a missing one is a 400, a foreign-looking one unknown.</summary>
    static Problem? CheckLinkId(string? linkId) =>
        string.IsNullOrWhiteSpace(linkId) ? Problem.Invalid("linkId", "linkId is required")
        : !linkId.Trim().StartsWith("lnk_", StringComparison.Ordinal) || linkId.Trim().Length > 64 ? Problem.NotFound("Link not found")
        : null;

    /// <summary>Grain problems in the seed's error shape; a 429 carries Retry-After.</summary>
    internal static JsonHttpResult<OffsetError> Error(HttpContext http, Problem problem)
    {
        if (problem.RetryAfterSeconds is { } seconds)
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(new OffsetError(problem.Message, problem.Field), statusCode: ApiProblem.StatusOf(problem.Kind));
    }
}
