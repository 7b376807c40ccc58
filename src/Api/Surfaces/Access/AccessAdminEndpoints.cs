using Actors.Api.Http;
using Actors.Grains.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Access;

/// <summary>Operators provision organisations, keys, publishers and content (bearer <c>ACTORS_ADMIN_TOKEN</c>).</summary>
public static class AccessAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/api").WithTags("admin").RequireAdminToken();
        admin.MapPost("/orgs", CreateOrg).RequireIdempotency("admin-orgs", Operator);
        admin.MapPost("/orgs/{id}/keys", IssueKey).RequireIdempotency("admin-org-keys", Operator);
        admin.MapPost("/publishers", CreatePublisher).RequireIdempotency("admin-publishers", Operator);
        admin.MapPost("/publishers/{domain}/content", PublishContent).RequireIdempotency("admin-content", Operator);
    }

    static string Operator(HttpContext _) => "operator";

    static async Task<Results<Created<CreatedIdResponse>, ProblemAnswer>> CreateOrg(CreateOrgRequest request, IClusterClient orleans)
    {
        var result = await orleans.GetGrain<IAccessRegistryGrain>(IAccessRegistryGrain.Key).CreateOrg(new NewOrg(request.Name, request.Plan, request.MonthlyLimit));
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/admin/api/orgs/{result.Value!.Id}", new CreatedIdResponse(result.Value.Id));
    }

    static async Task<Results<Created<CreatedKeyResponse>, ProblemAnswer>> IssueKey(string id, IClusterClient orleans)
    {
        if (!id.StartsWith("org_", StringComparison.Ordinal) || id.Length > 64)
            return ApiProblem.Create(StatusCodes.Status404NotFound, "Organisation not found");
        var result = await orleans.GetGrain<IOrgGrain>(id).IssueKey();
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created((string?)null, new CreatedKeyResponse(result.Value!));
    }

    static async Task<Results<Created<CreatedIdResponse>, ProblemAnswer>> CreatePublisher(CreatePublisherRequest request, IClusterClient orleans)
    {
        var result = await orleans.GetGrain<IAccessRegistryGrain>(IAccessRegistryGrain.Key).RegisterPublisher(request.Domain, request.Name);
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created((string?)null, new CreatedIdResponse(result.Value!.Id));
    }

    static async Task<Results<Created<PublishedContentResponse>, Ok<PublishedContentResponse>, ProblemAnswer>> PublishContent(
        string domain, PublishContentRequest request, IClusterClient orleans)
    {
        var result = await orleans.GetGrain<IAccessRegistryGrain>(IAccessRegistryGrain.Key).Publish(domain, request.ToDraft());
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var published = result.Value!;
        return published.Created
            ? TypedResults.Created(published.Url, new PublishedContentResponse(published.Url))
            : TypedResults.Ok(new PublishedContentResponse(published.Url));
    }
}
