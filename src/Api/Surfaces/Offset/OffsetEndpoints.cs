using Actors.Api.Http;
using Actors.Grains.Offset;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using OffsetFailure = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Actors.Api.Surfaces.Offset.OffsetError>>;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// The token-offset surface (seed 000), under <c>/offset</c>. Each route is one
/// <see cref="OffsetOperations"/> call (the same the MCP tools make) and its answer in the seed's shapes.
/// </summary>
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
        open.MapPost("/quick-signup", (QuickSignupRequest request, OffsetOperations ops) => Answer(ops.QuickSignup(request)))
            .RequireRateLimit("offset-quick-signup", 60, TimeSpan.FromMinutes(1),
                http => http.Connection.RemoteIpAddress?.ToString(),
                decision => ErrorJson.Create(StatusCodes.Status429TooManyRequests, new OffsetError(
                    $"Rate limit: too many quick signups from this address. Try again in {decision.RetryAfterSeconds} seconds.")));
        // No caller identity before there is a key: a repeat is recognised by its key and the
        // client's address, so another client reusing the same key never receives this agent's key.
        open.MapPost("/register", Register).RequireIdempotency("offset-register", http => http.Connection.RemoteIpAddress?.ToString());
        open.MapGet("/usage-bands", () => TypedResults.Ok(OffsetOperations.Bands));

        var agents = offset.MapGroup("/api/agents").RequireAuthorization();
        agents.MapPost("/signup-user", (SignupUserRequest request, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.SignupUser(caller.AgentId, request))).RequireIdempotency("offset-signup-user", CallerId);
        agents.MapGet("/link-status", (string? linkId, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.LinkStatus(caller.AgentId, linkId)));
        agents.MapPost("/report-usage", (ReportUsageRequest request, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.ReportUsage(caller.AgentId, request)));
        agents.MapGet("/usage-log", (string? linkId, AgentPrincipal caller, OffsetOperations ops,
                string? sessionId = null, int? limit = null, string? cursor = null) =>
            Answer(ops.UsageLog(caller.AgentId, linkId, new UsageLogQuery(sessionId, limit, cursor))));
        agents.MapGet("/usage-summary", (string? linkId, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.UsageSummary(caller.AgentId, linkId)));
        agents.MapPost("/set-plan", (SetPlanRequest request, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.SetPlan(caller.AgentId, request)));
        agents.MapPost("/connect-provider", (ConnectProviderRequest request, AgentPrincipal caller, OffsetOperations ops) =>
            Answer(ops.ConnectProvider(caller.AgentId, request)));

        OffsetDashboardSection.Map(app);
        app.MapMcp("/offset/mcp").RequireAuthorization().ExcludeFromDescription();
        return offset;
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Created<RegisterResponse>, OffsetFailure>> Register(RegisterRequest request, OffsetOperations offset)
    {
        var result = await offset.Register(request);
        return result.Problem is { } problem ? Error(problem) : TypedResults.Created("/offset/api/agents/link-status", result.Value!);
    }

    static async Task<Results<Ok<T>, OffsetFailure>> Answer<T>(Task<Result<T>> call)
    {
        var result = await call;
        return result.Problem is { } problem ? Error(problem) : TypedResults.Ok(result.Value!);
    }

    /// <summary>A grain's problem in the seed's error shape, <c>{"error": "..."}</c>.</summary>
    static OffsetFailure Error(Problem problem) => ErrorJson.From(problem, new OffsetError(problem.Message, problem.Field));
}
