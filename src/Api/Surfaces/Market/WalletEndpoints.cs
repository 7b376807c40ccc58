using System.Security.Claims;
using Actors.Api.Http;
using Actors.Api.Payments;
using Actors.Grains.Wallets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>
/// The seed's Agent Wallet routes under <c>/market/api/agents</c>: the wallet, deposits (direct and
/// by checkout), payout onboarding (connect) and withdrawals; each is one call of the agent's
/// <see cref="IWalletGrain"/>. The sandbox provider's pages they link to are mapped here too.
/// </summary>
public static class WalletEndpoints
{
    const string OperatorCaller = "operator";

    public static void MapWallets(this RouteGroupBuilder agents, IEndpointRouteBuilder app)
    {
        // The operator token may deposit to any agent (agentId); an agent key deposits to itself.
        agents.MapPost("/wallet/deposit", Deposit).RequireAgentOrOperator().RequireIdempotency("market-deposit", CallerId);

        agents.MapGet("/wallet", GetWallet).RequireAuthorization();
        agents.MapPost("/wallet/deposit/checkout", OpenCheckout).RequireAuthorization().RequireIdempotency("market-deposit-checkout", CallerId);
        agents.MapPost("/wallet/withdraw", Withdraw).RequireAuthorization().RequireIdempotency("market-withdraw", CallerId);
        agents.MapPost("/connect", Connect).RequireAuthorization().RequireIdempotency("market-connect", CallerId);
        agents.MapGet("/connect", GetConnect).RequireAuthorization();

        SandboxDepositPage.Map(app);
        SandboxConnectPage.Map(app);
    }

    static string? CallerId(HttpContext http) =>
        http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value ?? (AgentOrOperator.IsOperator(http.User) ? OperatorCaller : null);

    /// <summary>The caller and its Idempotency-Key: the wallet derives the move's transfer id from it.</summary>
    static string? RequestKey(HttpContext http) =>
        http.Request.Headers[Idempotency.Header].ToString() is { Length: > 0 } key && CallerId(http) is { } caller ? $"{caller}\n{key}" : null;

    static async Task<Results<Ok<WalletResponse>, ProblemAnswer>> GetWallet(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IWalletGrain>(caller.AgentId).Get(), WalletResponse.From);

    static async Task<Results<Ok<DepositResponse>, ProblemAnswer>> Deposit(
        DepositRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient orleans)
    {
        string agentId;
        if (AgentOrOperator.IsOperator(user))
        {
            if (request.AgentId is not { Length: > 0 and <= WalletLimits.MaxAgentIdLength } named)
                return ApiProblem.Create(StatusCodes.Status400BadRequest, "agentId is required: the operator deposits to the agent it names", "agentId");
            agentId = named;
        }
        else
        {
            agentId = user.FindFirst(AgentAuthenticationHandler.AgentIdClaim)!.Value;
            if (request.AgentId is { } other && other != agentId)
                return ApiProblem.Create(StatusCodes.Status403Forbidden, "An agent deposits only to its own wallet; only the operator may name another agentId", "agentId");
        }
        return ApiProblem.Answer(await orleans.GetGrain<IWalletGrain>(agentId).Deposit(request.AmountCents, RequestKey(http)), DepositResponse.From);
    }

    static async Task<Results<Ok<DepositCheckoutResponse>, ProblemAnswer>> OpenCheckout(
        AmountRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IWalletGrain>(caller.AgentId).OpenDepositCheckout(request.AmountCents), DepositCheckoutResponse.From);

    static async Task<Results<Ok<WithdrawalResponse>, ProblemAnswer>> Withdraw(
        AmountRequest request, AgentPrincipal caller, HttpContext http, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IWalletGrain>(caller.AgentId).Withdraw(request.AmountCents, RequestKey(http)), WithdrawalResponse.From);

    static async Task<Results<Ok<ConnectResponse>, ProblemAnswer>> Connect(
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ConnectRequest? request,
        AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IWalletGrain>(caller.AgentId).Connect(request?.ReturnUrl, request?.RefreshUrl), ConnectResponse.From);

    static async Task<Ok<ConnectStatusResponse>> GetConnect(AgentPrincipal caller, IClusterClient orleans) =>
        TypedResults.Ok(ConnectStatusResponse.From(await orleans.GetGrain<IWalletGrain>(caller.AgentId).GetPayoutStatus()));
}
