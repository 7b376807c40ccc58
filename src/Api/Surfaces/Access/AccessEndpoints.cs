using System.Net;
using Actors.Api.Http;
using Actors.Grains.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Access;

/// <summary>The pay-per-access content surface (seed 002), under <c>/access</c>, and its operator admin API.</summary>
public static class AccessEndpoints
{
    const string PublisherPages = "/access/publishers";

    public static RouteGroupBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        var perMinute = app.ServiceProvider.GetRequiredService<IOptions<AccessApiOptions>>().Value.RequestsPerMinute;

        var access = app.MapGroup("/access").WithTags("access");

        // The seed's "100 req/min per API key": each agnt_ key is its own agent identity.
        var agent = access.MapGroup("/api/v1/agent")
            .RequireAuthorization()
            .RequireRateLimit("access-agent", perMinute, TimeSpan.FromMinutes(1), CallerId);
        agent.MapGet("/subscription/status", GetSubscription);
        agent.MapPost("/retrieve/authorize", Authorize)
            // A repeat after the token it returned has expired gets 410, not a dead token.
            .RequireIdempotency("access-authorize", CallerId, AccessKeys.TokenLifetime, () => ApiProblem.Create(StatusCodes.Status410Gone,
                "Previous token for this content has expired; authorize again with a new Idempotency-Key", Idempotency.Header));

        access.MapPost("/api/v1/publisher/redeem", Redeem);

        var publisher = access.MapGroup("/publishers/{domain}");
        publisher.MapGet("/agentthreshold/content/{contentId}", FetchContent);
        publisher.MapMethods("/{**path}", [HttpMethods.Head, HttpMethods.Get], Discover).ExcludeFromDescription();

        AccessAdminEndpoints.Map(app);
        AccountPages.Map(app);
        Payments.SandboxCheckoutPage.Map(app);
        return access;
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Ok<SubscriptionStatusResponse>, ProblemAnswer>> GetSubscription(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await orleans.GetGrain<IOrgMemberGrain>(caller.AgentId).GetSubscription(), SubscriptionStatusResponse.From);

    static async Task<Results<Created<AuthorizeResponse>, ProblemAnswer>> Authorize(
        AuthorizeRequest request, AgentPrincipal caller, HttpContext http, AccessAuthorizations authorizations)
    {
        var result = await authorizations.Authorize(caller.AgentId,
            new AuthorizeCommand(request.Url, request.ContentId, request.Domain, request.Tier, http.Request.Headers[Idempotency.Header]));
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created((string?)null, AuthorizeResponse.From(result.Value!));
    }

    static Task<Results<Ok<ContentResponse>, ProblemAnswer>> FetchContent(
        string domain, string contentId, HttpContext http, IClusterClient orleans)
    {
        string? header = http.Request.Headers.Authorization;
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        return RedeemToken(token, domain, contentId, orleans);
    }

    static Task<Results<Ok<ContentResponse>, ProblemAnswer>> Redeem(RedeemTokenRequest request, IClusterClient orleans) =>
        string.IsNullOrEmpty(request.Domain) ? Task.FromResult<Results<Ok<ContentResponse>, ProblemAnswer>>(ApiProblem.Create(400, "domain is required", "domain"))
        : string.IsNullOrEmpty(request.ContentId) ? Task.FromResult<Results<Ok<ContentResponse>, ProblemAnswer>>(ApiProblem.Create(400, "content_id is required", "content_id"))
        : RedeemToken(request.AccessToken ?? "", request.Domain, request.ContentId, orleans);

    static async Task<Results<Ok<ContentResponse>, ProblemAnswer>> RedeemToken(
        string token, string domain, string contentId, IClusterClient orleans)
    {
        if (!token.StartsWith(AccessKeys.TokenPrefix + "_", StringComparison.Ordinal) || token.Length > 200)
            return ApiProblem.Create(StatusCodes.Status401Unauthorized,
                "Send the access token from the authorize response: Authorization: Bearer at_access_…").With("WWW-Authenticate", "Bearer");
        return ApiProblem.Answer(await orleans.GetGrain<IAccessTokenGrain>(AccessKeys.Token(token)).Redeem(domain, contentId), ContentResponse.From);
    }

    /// <summary>
    /// A publisher's page as we serve it. HEAD (and GET) carry the discovery headers; discovery
    /// is free and unlimited. Content that is not registered has no <c>X-AgentThreshold</c> header.
    /// </summary>
    static async Task<IResult> Discover(string domain, HttpContext http, IClusterClient orleans)
    {
        var prefix = $"{PublisherPages}/{domain}";
        var requestPath = http.Request.Path.Value ?? "";
        var path = requestPath.Length > prefix.Length ? requestPath[prefix.Length..] : "/";
        var terms = await orleans.GetGrain<IContentDiscoveryGrain>(IContentDiscoveryGrain.Key).Discover(domain, path);
        if (terms is null) return ApiProblem.Create(StatusCodes.Status404NotFound, "No content at this address");

        var headers = http.Response.Headers;
        headers["X-AgentThreshold"] = "enabled";
        headers["X-AgentThreshold-Version"] = "1";
        headers["X-AgentThreshold-Domain"] = terms.Domain;
        headers["X-AgentThreshold-Content-Id"] = terms.ContentId;
        headers["X-AgentThreshold-Tier"] = terms.Tier.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-AgentThreshold-License-Id"] = terms.LicenseId;
        headers["X-AgentThreshold-Access-Mode"] = "require_payment";
        if (HttpMethods.IsHead(http.Request.Method)) return TypedResults.Ok();

        var title = WebUtility.HtmlEncode(terms.Title);
        return TypedResults.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
            <body><h1>{title}</h1>
            <p>This article is AgentThreshold-enabled: agents authorize access (tier {terms.Tier}) and fetch it from
            <code>{WebUtility.HtmlEncode(terms.ContentUrl)}</code>.</p></body></html>
            """, "text/html; charset=utf-8");
    }
}
