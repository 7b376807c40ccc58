using System.ComponentModel;
using System.Security.Claims;
using Actors.Api.Http;
using Actors.Grains.Platform;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// The seed's remote MCP server (§M) at <c>/offset/mcp</c>: the same operations as the HTTP tools
/// (<see cref="OffsetOperations"/>, which both call), authenticated with the agent's bearer key.
/// Stateless streamable HTTP, so any API replica serves any call. A refused operation is a tool
/// error whose text is the HTTP error message.
/// </summary>
[McpServerToolType]
public sealed class OffsetMcpTools(OffsetOperations offset)
{
    [McpServerTool(Name = "tokenoffset_signup_user"), Description(
        "Create or find the human's Token Offset account and email them a one-tap approval link. The link is pending until they approve (within 14 days). One approval email per address per hour.")]
    public async Task<SignupResponse> SignupUser(ClaimsPrincipal user,
        [Description("The human's email address")] string userEmail,
        [Description("The human's name, shown in the email")] string? userName = null,
        [Description("Ask to manage the account exclusively (the human keeps magic-link sign-in)")] bool exclusiveAgent = false) =>
        Unwrap(await offset.SignupUser(AgentId(user), new SignupUserRequest(userEmail, userName, exclusiveAgent)));

    [McpServerTool(Name = "tokenoffset_link_status", ReadOnly = true), Description(
        "Status of a link: pending, approved, expired or revoked; times are epoch milliseconds.")]
    public async Task<LinkStatusResponse> LinkStatus(ClaimsPrincipal user, [Description("The linkId from signup")] string linkId) =>
        Unwrap(await offset.LinkStatus(AgentId(user), linkId));

    [McpServerTool(Name = "tokenoffset_report_usage"), Description(
        "Report the tokens of one model turn on an approved link. Reuse sessionId for a running conversation; clientEventId makes a retry count once.")]
    public async Task<ReportUsageResponse> ReportUsage(ClaimsPrincipal user,
        string linkId, string sessionId, string model, long inputTokens, long outputTokens,
        long? cachedInputTokens = null, long? reasoningTokens = null, string? clientEventId = null) =>
        Unwrap(await offset.ReportUsage(AgentId(user), new ReportUsageRequest(
            linkId, sessionId, inputTokens, outputTokens, model, cachedInputTokens, reasoningTokens, clientEventId)));

    [McpServerTool(Name = "tokenoffset_usage_summary", ReadOnly = true), Description(
        "Usage totals of a link, per model and per session, with its offset plan, connected providers and estimated CO2e.")]
    public async Task<UsageSummaryResponse> UsageSummary(ClaimsPrincipal user, string linkId) =>
        Unwrap(await offset.UsageSummary(AgentId(user), linkId));

    [McpServerTool(Name = "tokenoffset_set_plan"), Description(
        "Set the link's monthly offset plan: a usage band id (casual, regular, worker, power, heavy, extreme) or a custom amount in cents.")]
    public async Task<PlanDto> SetPlan(ClaimsPrincipal user, string linkId, string? band = null, long? monthlyAmountCents = null) =>
        Unwrap(await offset.SetPlan(AgentId(user), new SetPlanRequest(linkId, band, monthlyAmountCents))).Plan;

    [McpServerTool(Name = "tokenoffset_connect_provider"), Description(
        "Connect an Anthropic (sk-ant-admin…) or OpenAI (sk-admin-…) admin key for usage estimates. Stored encrypted; only a masked hint is returned.")]
    public async Task<ProviderDto> ConnectProvider(ClaimsPrincipal user, string linkId,
        [Description("anthropic or openai")] string provider, string apiKey) =>
        ProviderDto.From(Unwrap(await offset.ConnectProvider(AgentId(user), new ConnectProviderRequest(linkId, provider, apiKey))));

    [McpServerTool(Name = "tokenoffset_usage_bands", ReadOnly = true), Description("The preset usage bands, Casual to Extreme, with monthly amounts in cents.")]
    public IReadOnlyList<UsageBandDto> UsageBandList() => OffsetOperations.Bands.Bands;

    static string AgentId(ClaimsPrincipal user) =>
        user.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value ?? throw new McpException("Missing API key");

    /// <summary>A problem is the tool's error, its text the message the HTTP route answers with.</summary>
    static T Unwrap<T>(Result<T> result) =>
        result.Problem is { } problem ? throw new McpException(problem.Message) : result.Value!;
}
