using System.Globalization;
using Actors.Api.Http;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Surfaces.Memory;

/// <summary>
/// The memory seed's error shape, <c>{"success": false, "error": "..."}</c> (plus <c>field</c>
/// when one request member is at fault), with the status codes every surface uses.
/// </summary>
public static class MemoryErrors
{
    public static JsonHttpResult<MemoryError> From(Problem problem) =>
        TypedResults.Json(new MemoryError(false, problem.Message, problem.Field, problem.RetryAfterSeconds),
            statusCode: ApiProblem.StatusOf(problem.Kind));

    /// <summary>
    /// A grain's 429 says when to come back (<see cref="Problem.RetryAfterSeconds"/>): this filter
    /// writes it as <c>Retry-After</c>, so handlers stay one grain call and a translation.
    /// </summary>
    public static TBuilder WithRetryAfter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is JsonHttpResult<MemoryError> { Value.RetryAfterSeconds: { } seconds })
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return result;
        });

    public static JsonHttpResult<MemoryError> Status(int status, string message, string? field = null) =>
        TypedResults.Json(new MemoryError(false, message, field), statusCode: status);

    /// <summary>
    /// Requires an agent key (or, when <paramref name="optional"/>, accepts none but refuses a bad
    /// one), answering 401 in the surface's own shape rather than the generic problem document.
    /// </summary>
    public static TBuilder RequireAgentKey<TBuilder>(this TBuilder builder, bool optional = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim) is not null) return await next(context);
            if (optional && string.IsNullOrEmpty(http.Request.Headers.Authorization)) return await next(context);
            var result = await http.AuthenticateAsync();
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Status(StatusCodes.Status401Unauthorized,
                result.Failure?.Message ?? "Missing API key: send Authorization: Bearer <the omx_ key from auto-register>");
        });
}
