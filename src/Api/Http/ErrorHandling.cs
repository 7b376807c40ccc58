using System.Text.Json;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Diagnostics;

namespace Actors.Api.Http;

public static class ErrorAnswers
{
    /// <summary>Problem details for what escapes an endpoint, and binding failures as exceptions so they get a named field.</summary>
    public static IServiceCollection AddErrorAnswers(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ErrorHandling>();
        return services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    /// <summary>Exceptions, and bodiless errors from outside any endpoint (no route, wrong method, too large), as problem details.</summary>
    public static IApplicationBuilder UseErrorAnswers(this IApplicationBuilder app) => app
        .UseExceptionHandler()
        .UseStatusCodePages(context => context.HttpContext.Response.HasStarted
            ? Task.CompletedTask
            : ApiProblem.Write(context.HttpContext, context.HttpContext.Response.StatusCode, "Error",
                ReasonFor(context.HttpContext.Response.StatusCode)));

    static string ReasonFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such endpoint",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed on this endpoint",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json",
        _ => "Request failed",
    };
}

/// <summary>
/// Turns what escapes an endpoint into a clean answer: malformed input is a 400 naming the
/// field, an unreachable cluster is a 503 with Retry-After, anything else a 500 without internals.
/// </summary>
public sealed class ErrorHandling(ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                var field = JsonField(json.Path);
                await ApiProblem.Write(context, StatusCodes.Status400BadRequest, "Invalid request body",
                    field is null ? "The request body is not valid JSON" : $"Invalid value for '{field}': wrong type or malformed JSON", field);
                return true;
            case BadHttpRequestException bad:
                var (message, parameter) = Describe(bad);
                await ApiProblem.Write(context, bad.StatusCode, "Bad request", message, parameter);
                return true;
            case var _ when IsStorageUnavailable(exception):
                await StorageUnavailable(context, exception);
                return true;
            case OrleansException or TimeoutException or OperationCanceledException when !context.RequestAborted.IsCancellationRequested:
                logger.LogWarning(exception, "Cluster unavailable for {Path}", context.Request.Path);
                await ApiProblem.Write(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                    "The service is temporarily unavailable; retry shortly", retryAfterSeconds: RetryAfterSeconds);
                return true;
            default:
                logger.LogError(exception, "Unhandled error for {Path}", context.Request.Path);
                await ApiProblem.Write(context, StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred");
                return true;
        }
    }

    /// <summary>The database is down or refusing connections: transient, as an unreachable cluster is.</summary>
    /// <remarks>Orleans may wrap it (a state read while a grain activates fails as "Error from storage provider").</remarks>
    public static bool IsStorageUnavailable(Exception? e)
    {
        for (var depth = 0; e is not null && depth < 10; e = e.InnerException, depth++)
            if (e is StorageUnavailableException) return true;
        return false;
    }

    Task StorageUnavailable(HttpContext context, Exception exception)
    {
        logger.LogWarning("Storage unavailable for {Path}: {Reason}", context.Request.Path, exception.Message);
        return ApiProblem.Write(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            "Storage is temporarily unavailable; retry shortly", retryAfterSeconds: RetryAfterSeconds);
    }

    /// <summary><c>$.tags[2]</c> → <c>tags</c>: the name a client sent.</summary>
    static string? JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var name = path.TrimStart('$', '.');
        var end = name.IndexOfAny(['.', '[']);
        return end > 0 ? name[..end] : name;
    }

    static (string Message, string? Field) Describe(BadHttpRequestException bad) => bad.Message switch
    {
        var m when m.Contains("was not provided from body", StringComparison.Ordinal) => ("A JSON request body is required", null),
        var m when m.StartsWith("Failed to bind parameter", StringComparison.Ordinal) => QueryMessage(m),
        var m when m.Contains("Content-Type", StringComparison.OrdinalIgnoreCase) => ("Send the body as application/json", null),
        var m => (m, null),
    };

    // Failed to bind parameter "int? limit" from "abc".  →  Invalid value for 'limit': "abc"
    static (string Message, string? Field) QueryMessage(string message)
    {
        var start = message.IndexOf('"');
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (end < 0) return (message, null);
        var declaration = message[(start + 1)..end];
        var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
        var value = message[(end + 1)..].Replace(" from ", "", StringComparison.Ordinal).TrimEnd('.');
        return ($"Invalid value for '{name}': {value}", name);
    }
}
