using Actors.Api.Http;
using Actors.Grains.Subscriptions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>Subscriptions to recurring services (seed: Subscriptions) and the provider's run reports.</summary>
public static class SubscriptionEndpoints
{
    public static void MapSubscriptions(this IEndpointRouteBuilder market)
    {
        var subscriptions = market.MapGroup("/api/subscriptions").WithTags("market").RequireAuthorization();
        subscriptions.MapPost("/", Subscribe).RequireIdempotency("market-subscriptions", CallerId);
        subscriptions.MapGet("/", List);
        subscriptions.MapGet("/{id}", Get);
        subscriptions.MapPatch("/{id}", Change);
        subscriptions.MapPatch("/{id}/runs/{runId}", ReportRun);
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Created<SubscriptionResponse>, ProblemAnswer>> Subscribe(
        SubscribeRequest request, AgentPrincipal caller, IClusterClient orleans,
        [FromHeader(Name = Idempotency.Header)] string? requestKey = null)
    {
        var result = await Registry(orleans).Subscribe(new NewSubscription(caller.AgentId, request.ServiceId, requestKey));
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var subscription = result.Value!;
        return TypedResults.Created($"/market/api/subscriptions/{subscription.Id}", new SubscriptionResponse(SubscriptionBody.From(subscription)));
    }

    static async Task<Results<Ok<SubscriptionListResponse>, ProblemAnswer>> List(
        AgentPrincipal caller, IClusterClient orleans, string? role = null, string? status = null, int? limit = null, int? offset = null) =>
        ApiProblem.Answer(await Registry(orleans).List(new SubscriptionQuery(caller.AgentId, role, status, limit, offset)),
            list => new SubscriptionListResponse([.. list.Select(SubscriptionBody.From)]));

    static async Task<Results<Ok<SubscriptionResponse>, ProblemAnswer>> Get(string id, AgentPrincipal caller, IClusterClient orleans) =>
        !IsSubscriptionId(id) ? NotFound()
        : ApiProblem.Answer(await orleans.GetGrain<ISubscriptionGrain>(id).Get(caller.AgentId), s => new SubscriptionResponse(SubscriptionBody.From(s)));

    static async Task<Results<Ok<SubscriptionChangedResponse>, ProblemAnswer>> Change(
        string id, ChangeSubscriptionRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        !IsSubscriptionId(id) ? NotFound()
        : ApiProblem.Answer(await orleans.GetGrain<ISubscriptionGrain>(id).Change(caller.AgentId, request.Action),
            s => new SubscriptionChangedResponse(SubscriptionBody.From(s), Done(request.Action)));

    static async Task<Results<Ok<SubscriptionRunResponse>, ProblemAnswer>> ReportRun(
        string id, string runId, ReportRunRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        !IsSubscriptionId(id) ? NotFound()
        : ApiProblem.Answer(await orleans.GetGrain<ISubscriptionGrain>(id).ReportRun(caller.AgentId, runId, new SubscriptionRunReport(request.Status, request.Output)),
            run => new SubscriptionRunResponse(SubscriptionRunBody.From(run)));

    /// <summary>The seed's message ("Subscription paused successfully"); only a valid action gets this far.</summary>
    static string Done(string? action) => action?.Trim().ToLowerInvariant() switch
    {
        SubscriptionActions.Pause => "Subscription paused successfully",
        SubscriptionActions.Resume => "Subscription resumed successfully",
        _ => "Subscription cancelled successfully",
    };

    static ISubscriptionRegistryGrain Registry(IClusterClient orleans) => orleans.GetGrain<ISubscriptionRegistryGrain>(ISubscriptionRegistryGrain.Key);

    static bool IsSubscriptionId(string id) => PrefixedId.Is(id, "sub_");

    static ProblemAnswer NotFound() => ApiProblem.Create(StatusCodes.Status404NotFound, "Subscription not found");
}
