using Actors.Api.Http;
using Actors.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>
/// The seed's Bidding System under <c>/market/api/agents/jobs</c>: job posts (the board), their bids
/// (each post's <see cref="IJobPostGrain"/>, new bids batched by <see cref="MarketBids"/>), and the
/// operator's resolution of a disputed bid. Listing posts and bids is public, as the seed says.
/// </summary>
public static class JobPostEndpoints
{
    public static void MapJobPosts(this RouteGroupBuilder agents, IEndpointRouteBuilder app)
    {
        var posts = agents.MapGroup("/jobs");
        posts.MapPost("/", Create).RequireAuthorization().RequireIdempotency("market-job-posts", CallerId);
        posts.MapGet("/", List);
        posts.MapGet("/{id}", Get);
        posts.MapPost("/{id}/bids", PlaceBid).RequireAuthorization().RequireIdempotency("market-bids", CallerId);
        posts.MapGet("/{id}/bids", ListBids);
        posts.MapPatch("/{id}/bids/{bidId}", UpdateBid).RequireAuthorization().RequireIdempotency("market-bid-changes", CallerId);

        app.MapPost("/admin/api/market/job-posts/{id}/bids/{bidId}/resolve", Resolve).WithTags("admin").RequireAdminToken()
            .RequireIdempotency("admin-market-bid-resolve", _ => "operator");
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Created<JobPostResponse>, ProblemAnswer>> Create(
        CreateJobPostRequest request, AgentPrincipal caller, IClusterClient orleans,
        [FromHeader(Name = Idempotency.Header)] string? requestKey = null)
    {
        var result = await Board(orleans).Post(new NewJobPost(caller.AgentId, request.Title, request.Description, request.Category,
            request.Tags, request.BudgetCents, request.Deadline, request.InstantAcceptCents, request.MultiBid, request.MaxAcceptedBids, requestKey));
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/market/api/agents/jobs/{result.Value!.Id}", new JobPostResponse(JobPostBody.From(result.Value)));
    }

    static async Task<Results<Ok<JobPostListResponse>, ProblemAnswer>> List(
        IClusterClient orleans, string? q = null, string? category = null, string? tags = null, string? status = null,
        int? limit = null, int? offset = null) =>
        ApiProblem.Answer(await Board(orleans).Search(new JobPostQuery(q, category, SplitTags(tags), status, limit, offset)),
            page => new JobPostListResponse(page.JobPosts.Select(JobPostBody.From).ToList(), page.Total, page.Limit, page.Offset));

    static async Task<Results<Ok<JobPostResponse>, ProblemAnswer>> Get(string id, IClusterClient orleans)
    {
        var post = PrefixedId.Is(id, "jp_") ? await orleans.GetGrain<IJobPostGrain>(id).Get() : null;
        return post is null ? PostNotFound() : TypedResults.Ok(new JobPostResponse(JobPostBody.From(post)));
    }

    static async Task<Results<Created<PlaceBidResponse>, ProblemAnswer>> PlaceBid(
        string id, PlaceBidRequest request, AgentPrincipal caller, MarketBids bids)
    {
        if (!PrefixedId.Is(id, "jp_")) return PostNotFound();
        var result = await bids.Place(new NewBid(id, caller.AgentId, request.PriceCents, request.Message));
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/market/api/agents/jobs/{id}/bids/{result.Value!.Bid.Id}", PlaceBidResponse.From(result.Value));
    }

    static async Task<Results<Ok<BidListResponse>, ProblemAnswer>> ListBids(string id, IClusterClient orleans) =>
        !PrefixedId.Is(id, "jp_") ? PostNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobPostGrain>(id).ListBids(),
            list => new BidListResponse(list.Bids.Select(BidBody.From).ToList(), list.LowestBid, list.TotalBids));

    static async Task<Results<Ok<UpdateBidResponse>, ProblemAnswer>> UpdateBid(
        string id, string bidId, UpdateBidRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        !PrefixedId.Is(id, "jp_") || !PrefixedId.Is(bidId, "bid_") ? BidNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobPostGrain>(id).ChangeBid(bidId, new BidChange(
                caller.AgentId, request.PriceCents, request.Message, request.Status, request.DeliveryNote, request.DeliveryUrl)),
            changed => UpdateBidResponse.From(changed, request));

    static async Task<Results<Ok<BidResponse>, ProblemAnswer>> Resolve(string id, string bidId, ResolveJobRequest request, IClusterClient orleans) =>
        !PrefixedId.Is(id, "jp_") || !PrefixedId.Is(bidId, "bid_") ? BidNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobPostGrain>(id).ResolveBid(bidId, new JobResolution(request.Outcome, request.WorkerCents)),
            bid => new BidResponse(BidBody.From(bid)));

    static IJobBoardGrain Board(IClusterClient orleans) => orleans.GetGrain<IJobBoardGrain>(IJobBoardGrain.Key);

    /// <summary>The seed's comma-separated tags; empty parts dropped (the board trims, lower-cases and bounds them).</summary>
    static IReadOnlyList<string>? SplitTags(string? tags) =>
        tags is null ? null : tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static ProblemAnswer PostNotFound() => ApiProblem.Create(StatusCodes.Status404NotFound, "Job post not found");

    static ProblemAnswer BidNotFound() => ApiProblem.Create(StatusCodes.Status404NotFound, "Bid not found");
}
