using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Http;

/// <summary>
/// RFC 9457 problem details with an <c>error</c> member, for surfaces whose seed shows no
/// error shape. Grain problems map to status codes here and nowhere else (<see cref="StatusOf"/>;
/// the surfaces with a shape of their own use it through <see cref="ErrorJson"/>).
/// </summary>
public static class ApiProblem
{
    public static WithHeaders<ProblemHttpResult> From(Problem problem) =>
        Create(StatusOf(problem.Kind), problem.Message, problem.Field, problem.RetryAfterSeconds);

    public static WithHeaders<ProblemHttpResult> Create(int status, string message, string? field = null, int? retryAfterSeconds = null) =>
        Details(status, message, field).WithRetryAfter(retryAfterSeconds);

    /// <summary>A grain's answer as a 200 with <paramref name="body"/>, or its problem.</summary>
    public static Results<Ok<TBody>, WithHeaders<ProblemHttpResult>> Answer<TValue, TBody>(Result<TValue> result, Func<TValue, TBody> body) =>
        result.Problem is { } problem ? From(problem) : TypedResults.Ok(body(result.Value!));

    public static int StatusOf(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => StatusCodes.Status400BadRequest,
        ProblemKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.Gone => StatusCodes.Status410Gone,
        ProblemKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ProblemKind.PaymentRequired => StatusCodes.Status402PaymentRequired,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// For middleware that answers outside an endpoint (authentication, exception handling), with
    /// <c>success: false</c> under a surface whose seed answers in that envelope (<see cref="SaysSuccess"/>).
    /// </summary>
    public static Task Write(HttpContext context, int status, string title, string message, string? field = null, int? retryAfterSeconds = null)
    {
        var details = Details(status, message, field);
        details.ProblemDetails.Title = title;
        if (SaysSuccess(context.Request)) details.ProblemDetails.Extensions["success"] = false;
        return details.WithRetryAfter(retryAfterSeconds).ExecuteAsync(context);
    }

    /// <summary>The surfaces whose seeds answer <c>{"success": ...}</c>: memory and the taskboard.</summary>
    public static bool SaysSuccess(HttpRequest request) =>
        request.Path.StartsWithSegments("/memory") || request.Path.StartsWithSegments("/taskboard");

    static ProblemHttpResult Details(int status, string message, string? field)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = message };
        if (field is not null) extensions["field"] = field;
        return TypedResults.Problem(detail: message, statusCode: status, extensions: extensions);
    }
}
