using Actors.Api.Http;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using MemoryFailure = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Actors.Api.Surfaces.Memory.MemoryError>>;

namespace Actors.Api.Surfaces.Memory;

/// <summary>
/// The memory seed's error shape, <c>{"success": false, "error": "..."}</c> (plus <c>field</c>
/// when one request member is at fault), with the status codes and <c>Retry-After</c> every surface uses.
/// </summary>
public static class MemoryErrors
{
    public static MemoryFailure From(Problem problem) => ErrorJson.From(problem, new MemoryError(false, problem.Message, problem.Field));

    public static MemoryFailure Status(int status, string message, string? field = null) =>
        ErrorJson.Create(status, new MemoryError(false, message, field));

    /// <summary>A grain's answer in the seed's envelope, <c>{"success": true, "data": ...}</c>, or its problem.</summary>
    public static Results<Ok<MemoryOk<TData>>, MemoryFailure> Answer<TValue, TData>(Result<TValue> result, Func<TValue, TData> data) =>
        result.Problem is { } problem ? From(problem) : TypedResults.Ok(new MemoryOk<TData>(true, data(result.Value!)));

    /// <summary>
    /// Requires an agent key (or, when <paramref name="optional"/>, accepts none but refuses a bad
    /// one), answering 401 in the surface's own shape rather than the generic problem document.
    /// </summary>
    public static TBuilder RequireAgentKey<TBuilder>(this TBuilder builder, bool optional = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAgentKey(message => Status(StatusCodes.Status401Unauthorized, message),
            "Missing API key: send Authorization: Bearer <the omx_ key from auto-register>", optional);
}
