using Actors.Api.Http;
using Actors.Grains.Identity;
using Actors.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>Services (seed: Service Discovery) and referrals (seed: Referral System), under <c>/market/api</c>.</summary>
public static class ServiceEndpoints
{
    public static RouteGroupBuilder MapServices(this RouteGroupBuilder market)
    {
        var services = market.MapGroup("/api/services");
        services.MapGet("/search", Search);
        services.MapGet("/", Browse);
        services.MapGet("/{id}", Get);
        services.MapPost("/", Create).RequireAuthorization().RequireIdempotency("market-services", CallerId);
        services.MapPatch("/{id}", Update).RequireAuthorization();
        services.MapDelete("/{id}", Delete).RequireAuthorization();

        var referral = market.MapGroup("/api/agents/referral").RequireAuthorization();
        referral.MapGet("/", GetReferral);
        referral.MapPost("/", PostReferral);
        return services;
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    /// <summary>Service ids are <c>svc_</c> ids; anything else is no service (and no grain is activated for it).</summary>
    static bool IsServiceId(string id) => id.StartsWith("svc_", StringComparison.Ordinal) && id.Length <= 64;

    static ProblemAnswer NotFound() => ApiProblem.Create(StatusCodes.Status404NotFound, "Service not found");

    static async Task<Results<Created<ServiceResponse>, ProblemAnswer>> Create(
        ServiceRequest request, AgentPrincipal caller, IClusterClient orleans)
    {
        var result = await orleans.GetGrain<IServiceRegistryGrain>(IServiceRegistryGrain.Key).Create(caller.AgentId, request.ToFields());
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/market/api/services/{result.Value!.Id}", new ServiceResponse(ServiceView.From(result.Value)));
    }

    static async Task<Results<Ok<ServiceResponse>, ProblemAnswer>> Get(string id, IClusterClient orleans)
    {
        if (!IsServiceId(id)) return NotFound();
        var listing = await orleans.GetGrain<IServiceGrain>(id).GetListing();
        if (listing is null or { Deleted: true }) return NotFound();
        var agent = await orleans.GetGrain<IAgentGrain>(listing.AgentId).GetProfile();
        return TypedResults.Ok(new ServiceResponse(ServiceView.From(listing, agent is null ? null
            : new ServiceAgentView(agent.Id, agent.Name, agent.Rating, agent.Status == AgentStatus.Active))));
    }

    static async Task<Results<Ok<ServiceResponse>, ProblemAnswer>> Update(
        string id, ServiceRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        !IsServiceId(id) ? NotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IServiceGrain>(id).Update(caller.AgentId, request.ToFields()),
            listing => new ServiceResponse(ServiceView.From(listing)));

    static async Task<Results<Ok<ServiceDeletedResponse>, ProblemAnswer>> Delete(string id, AgentPrincipal caller, IClusterClient orleans) =>
        !IsServiceId(id) ? NotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IServiceGrain>(id).Delete(caller.AgentId),
            listing => new ServiceDeletedResponse(true, ServiceView.From(listing)));

    static async Task<Results<Ok<ServiceSearchResponse>, ProblemAnswer>> Search(
        IClusterClient orleans,
        string? q = null, string? category = null, string? tags = null, double? minRating = null, string? maxPrice = null,
        string? agent = null, int? limit = null, int? offset = null, string? cursor = null) =>
        ApiProblem.Answer(await orleans.GetGrain<IServiceSearchGrain>(IServiceSearchGrain.Key).Search(
            new ServiceQuery(q, category, tags, minRating, maxPrice, agent, null, limit, offset, cursor)), ServiceSearchResponse.From);

    static async Task<Results<Ok<ServiceListResponse>, ProblemAnswer>> Browse(
        IClusterClient orleans,
        string? q = null, string? category = null, string? sort = null, int? limit = null, int? offset = null) =>
        ApiProblem.Answer(await orleans.GetGrain<IServiceSearchGrain>(IServiceSearchGrain.Key).Search(
            new ServiceQuery(q, category, Sort: sort, Limit: limit, Offset: offset)), ServiceListResponse.From);

    /// <summary>The agent's services as its own profile (<c>/me</c>) shows them.</summary>
    public static async Task<IReadOnlyList<ServiceView>> OfAgent(IClusterClient orleans, string agentId) =>
        [.. (await orleans.GetGrain<IServiceSearchGrain>(IServiceSearchGrain.Key).OfAgent(agentId)).Select(s => ServiceView.From(s))];

    static async Task<Results<Ok<ReferralResponse>, ProblemAnswer>> GetReferral(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IReferralGrain>(IReferralGrain.Key).GetStats(caller.AgentId),
            stats => new ReferralResponse(stats.ReferralCode, stats.AgentsReferred, stats.TotalEarningsCents));

    // The seed's "generate": every agent already has its code from registration; this returns it.
    static async Task<Results<Ok<ReferralCodeResponse>, ProblemAnswer>> PostReferral(AgentPrincipal caller, IClusterClient orleans)
    {
        var profile = await orleans.GetGrain<IAgentGrain>(caller.AgentId).GetProfile();
        return profile is null
            ? ApiProblem.Create(StatusCodes.Status404NotFound, "Agent not found")
            : TypedResults.Ok(new ReferralCodeResponse(profile.ReferralCode));
    }
}
