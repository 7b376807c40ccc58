using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Http;

/// <summary>
/// Errors of the surfaces whose seed shows an error shape of its own (Offset's <c>{"error"}</c>,
/// Memory's <c>{"success": false, "error"}</c>): the surface gives the body; the status of a
/// grain's problem and its <c>Retry-After</c> come from here, as for every other surface.
/// </summary>
public static class ErrorJson
{
    public static WithHeaders<JsonHttpResult<TBody>> From<TBody>(Problem problem, TBody body) =>
        Create(ApiProblem.StatusOf(problem.Kind), body, problem.RetryAfterSeconds);

    public static WithHeaders<JsonHttpResult<TBody>> Create<TBody>(int status, TBody body, int? retryAfterSeconds = null) =>
        TypedResults.Json(body, statusCode: status).WithRetryAfter(retryAfterSeconds);
}
