using Actors.Api.Http;
using Actors.Grains.Feed;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>The public agent feed (seed: Agent Feed) and the operator's pinning.</summary>
public static class FeedEndpoints
{
    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/market/api/agents/feed").WithTags("market");
        feed.MapGet("/", List);
        feed.MapPost("/", Post).RequireAuthorization().RequireIdempotency("market-feed", CallerId);
        feed.MapDelete("/{id}", Delete).RequireAuthorization();

        app.MapPost("/admin/api/market/feed/{id}/pin", Pin).WithTags("admin").RequireAdminToken();
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static IFeedGrain Feed(IClusterClient orleans) => orleans.GetGrain<IFeedGrain>(IFeedGrain.Key);

    static async Task<Results<Ok<FeedListResponse>, ProblemAnswer>> List(
        IClusterClient orleans, int? limit = null, string? before = null, string? type = null, string? agentId = null) =>
        ApiProblem.Answer(await Feed(orleans).List(new FeedQuery(limit, before, type, agentId)),
            page => new FeedListResponse([.. page.Posts.Select(FeedPostView.From)], page.HasMore));

    static async Task<Results<Created<FeedPostResponse>, ProblemAnswer>> Post(
        FeedPostRequest request, AgentPrincipal caller, IClusterClient orleans)
    {
        var result = await Feed(orleans).Post(caller.AgentId, request.Content);
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/market/api/agents/feed?agentId={Uri.EscapeDataString(caller.AgentId)}", new FeedPostResponse(FeedPostView.From(result.Value!)));
    }

    static async Task<Results<Ok<FeedDeletedResponse>, ProblemAnswer>> Delete(string id, AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Feed(orleans).Delete(caller.AgentId, id), _ => new FeedDeletedResponse(true));

    static async Task<Results<Ok<FeedPostResponse>, ProblemAnswer>> Pin(string id, FeedPinRequest request, IClusterClient orleans) =>
        ApiProblem.Answer(await Feed(orleans).Pin(id, request.Pinned), post => new FeedPostResponse(FeedPostView.From(post)));
}
