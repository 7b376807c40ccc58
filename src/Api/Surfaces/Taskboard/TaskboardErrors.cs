using Actors.Api.Http;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskboardFailure = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Actors.Api.Surfaces.Taskboard.TaskboardError>>;

namespace Actors.Api.Surfaces.Taskboard;

/// <summary>
/// The taskboard's error shape, <c>{"success": false, "error": "...", "field"?}</c> (the seed
/// answers <c>{"success": true, ...}</c>), with the status codes and <c>Retry-After</c> every surface uses.
/// </summary>
public static class TaskboardErrors
{
    public const string MissingKey = "Unauthorized: send Authorization: Bearer <the atk_ key from /api/agents/connect>";

    public static TaskboardFailure From(Problem problem) => ErrorJson.From(problem, new TaskboardError(false, problem.Message, problem.Field));

    public static TaskboardFailure Status(int status, string message, string? field = null) =>
        ErrorJson.Create(status, new TaskboardError(false, message, field));

    public static IResult Refuse(int status, string message) => Status(status, message);

    /// <summary>A grain's answer as a 200 with <paramref name="body"/>, or its problem.</summary>
    public static Results<Ok<TBody>, TaskboardFailure> Answer<TValue, TBody>(Result<TValue> result, Func<TValue, TBody> body) =>
        result.Problem is { } problem ? From(problem) : TypedResults.Ok(body(result.Value!));

    /// <summary>An agent's key, answered in this surface's shape when missing or bad.</summary>
    public static TBuilder RequireAtkKey<TBuilder>(this TBuilder builder, bool optional = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAgentKey(message => Status(StatusCodes.Status401Unauthorized, message), MissingKey, optional);
}
