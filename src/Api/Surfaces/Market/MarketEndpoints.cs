using Actors.Api.Http;
using Actors.Grains.Market;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>The agent marketplace surface (seed 003), under <c>/market</c>.</summary>
public static class MarketEndpoints
{
    /// <summary>Keys issued by this surface carry the seed's agent-key prefix.</summary>
    public const string KeyPrefix = "toku_agent";

    const string SaveKeyWarning = "⚠️ Save your API key! You need it for all authenticated requests.";

    public static RouteGroupBuilder MapMarket(this IEndpointRouteBuilder app)
    {
        var market = app.MapGroup("/market").WithTags("market");
        ClaimPage.Map(market);

        var agents = market.MapGroup("/api/agents");
        agents.MapPost("/register", Register);
        agents.MapPost("/claim", Claim);
        agents.MapGet("/", Search);
        agents.MapWallets(app);
        agents.MapJobPosts(app);

        var me = agents.MapGroup("/me").RequireAuthorization();
        me.MapGet("/", GetMe);
        me.MapPatch("/", UpdateMe);
        me.MapGet("/setup", GetSetup);
        me.MapWebhooks();

        market.MapServices();
        market.MapDirectMessages();
        market.MapSubscriptions();
        app.MapJobs();
        app.MapNotifications();
        app.MapFeed();
        return market;
    }

    static async Task<Results<Created<RegisterAgentResponse>, ProblemAnswer>> Register(
        RegisterAgentRequest request, IClusterClient orleans)
    {
        var result = await orleans.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Register(new AgentRegistration(
            request.Name, request.Description, request.OwnerEmail, request.ReferralCode, KeyPrefix));
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var (agent, apiKey) = result.Value!;
        return TypedResults.Created(
            "/market/api/agents/me",
            new RegisterAgentResponse(new RegisteredAgent(agent.Id, agent.Name, apiKey, agent.Status, agent.ReferralCode), SaveKeyWarning));
    }

    static async Task<Results<Ok<ClaimAgentResponse>, ProblemAnswer>> Claim(ClaimAgentRequest request, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Claim(request.Token ?? ""),
            agent => new ClaimAgentResponse(true, new ClaimedAgent(agent.Id, agent.Name, agent.Status)));

    static async Task<Results<Ok<AgentResponse>, ProblemAnswer>> GetMe(AgentPrincipal caller, IClusterClient orleans)
    {
        var services = ServiceEndpoints.OfAgent(orleans, caller.AgentId);
        var profile = await orleans.GetGrain<IAgentGrain>(caller.AgentId).GetProfile();
        return profile is null
            ? ApiProblem.Create(StatusCodes.Status404NotFound, "Agent not found")
            : TypedResults.Ok(new AgentResponse(AgentView.From(profile, await services)));
    }

    static async Task<Results<Ok<UpdateAgentResponse>, ProblemAnswer>> UpdateMe(
        UpdateAgentRequest request, AgentPrincipal caller, IClusterClient orleans)
    {
        var updated = await orleans.GetGrain<IAgentGrain>(caller.AgentId).UpdateProfile(new ProfileChanges(
            request.Name, request.Description, request.AvatarUrl, request.WebhookUrl, request.Tags, request.OwnerEmail));
        var services = updated.IsOk ? await ServiceEndpoints.OfAgent(orleans, caller.AgentId) : [];
        return ApiProblem.Answer(updated, profile => new UpdateAgentResponse(true, AgentView.From(profile, services)));
    }

    static async Task<Results<Ok<SetupResponse>, ProblemAnswer>> GetSetup(AgentPrincipal caller, IClusterClient orleans)
    {
        var profile = await orleans.GetGrain<IAgentGrain>(caller.AgentId).GetProfile();
        return profile is null
            ? ApiProblem.Create(StatusCodes.Status404NotFound, "Agent not found")
            : TypedResults.Ok(SetupResponse.From(profile));
    }

    static async Task<Results<Ok<DirectoryResponse>, ProblemAnswer>> Search(
        IClusterClient orleans,
        string? q = null, string? category = null, double? minRating = null, int? minJobs = null,
        bool? hasServices = null, int? limit = null, int? offset = null, string? cursor = null) =>
        ApiProblem.Answer(await orleans.GetGrain<IAgentDirectoryGrain>(IAgentDirectoryGrain.Key).Search(
            new DirectorySearch(q, category, minRating, minJobs, hasServices, limit, offset, cursor)), DirectoryResponse.From);
}
