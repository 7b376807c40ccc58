using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Http;

/// <summary>
/// RFC 9457 problem details with an <c>error</c> member, for surfaces whose seed shows no
/// error shape. Grain problems map to status codes here and nowhere else.
/// </summary>
public static class ApiProblem
{
    public static ProblemHttpResult From(Problem problem) => Create(StatusOf(problem.Kind), problem.Message, problem.Field);

    public static ProblemHttpResult Create(int status, string message, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = message };
        if (field is not null) extensions["field"] = field;
        return TypedResults.Problem(detail: message, statusCode: status, extensions: extensions);
    }

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

    /// <summary>For middleware that answers outside an endpoint (authentication, exception handling).</summary>
    public static Task Write(HttpContext context, int status, string title, string message, string? field = null)
    {
        var result = Create(status, message, field);
        result.ProblemDetails.Title = title;
        return result.ExecuteAsync(context);
    }
}
