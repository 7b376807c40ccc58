using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.Http.Metadata;
using Actors.Grains.Idempotency;

namespace Actors.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> for POSTs that move money or create something: the first response
/// is stored (in PostgreSQL, through <see cref="IIdempotencyGrain"/>) and replayed for every
/// repeat with the same key from the same caller; the same key with a different request is a
/// 422, a repeat while the first is still running a 409. Without the header nothing changes.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    // scope names the endpoint family (keys are per scope and caller); subject says who the
    // caller is; replayFor bounds how long a response is replayed (a response carrying a
    // short-lived token), after which a repeat gets expired() (default: a 410 problem).
    public static TBuilder RequireIdempotency<TBuilder>(
        this TBuilder builder, string scope, Func<HttpContext, string?> subject,
        TimeSpan? replayFor = null, Func<IResult>? expired = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            string? key = http.Request.Headers[Header];
            if (key is null || subject(http) is not { } who) return await next(context);
            if (key.Length is 0 or > IdempotencyKey.MaxLength || key.Any(c => c is < '!' or > '~'))
                return ApiProblem.Create(StatusCodes.Status400BadRequest,
                    $"{Header} must be 1 to {IdempotencyKey.MaxLength} visible ASCII characters", Header);

            var fingerprint = Fingerprint(context);
            var grain = http.RequestServices.GetRequiredService<IClusterClient>()
                .GetGrain<IIdempotencyGrain>(IdempotencyKey.GrainId(scope, who, key));
            var check = await grain.Begin(fingerprint);
            switch (check.Outcome)
            {
                case IdempotencyOutcome.Replay:
                    return new ReplayResult(check.Response!);
                case IdempotencyOutcome.Mismatch:
                    return ApiProblem.Create(StatusCodes.Status422UnprocessableEntity,
                        $"This {Header} was already used for a different request", Header);
                case IdempotencyOutcome.InProgress:
                    return ApiProblem.Create(StatusCodes.Status409Conflict,
                        $"A request with this {Header} is still in progress; retry shortly", Header);
                case IdempotencyOutcome.Expired:
                    return expired?.Invoke() ?? ApiProblem.Create(StatusCodes.Status410Gone,
                        $"The response to this {Header} has expired; send a new key", Header);
            }

            object? result;
            try { result = await next(context); }
            catch
            {
                await grain.Abandon(fingerprint);
                throw;
            }

            // Write the answer into a buffer first, so exactly what the client receives is what is stored.
            var answer = result as IResult ?? Results.Json(result);
            var realBody = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try { await answer.ExecuteAsync(http); }
            finally { http.Response.Body = realBody; }

            var status = http.Response.StatusCode;
            try
            {
                if (status >= 500 || status == StatusCodes.Status429TooManyRequests) await grain.Abandon(fingerprint);
                else await grain.Complete(fingerprint, new StoredResponse(
                    status, http.Response.ContentType, http.Response.Headers.Location, buffer.ToArray()), replayFor);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The request itself succeeded: answer it. A retry runs it again, and handlers that
                // move money derive their ledger transfer id from the key, so it cannot spend twice.
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Idempotency))
                    .LogWarning(e, "Could not store the response for an Idempotency-Key on {Path}", http.Request.Path);
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(realBody, http.RequestAborted);
            return Results.Empty;
        });

    /// <summary>Method, path, query and the bound body (as JSON, so formatting differences do not count).</summary>
    static string Fingerprint(EndpointFilterInvocationContext context)
    {
        var request = context.HttpContext.Request;
        var bodyType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = bodyType is null ? null : context.Arguments.FirstOrDefault(a => a is not null && bodyType.IsInstanceOfType(a));
        var text = $"{request.Method} {request.Path}{request.QueryString}\n{(body is null ? "" : JsonSerializer.Serialize(body, body.GetType()))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    sealed class ReplayResult(StoredResponse stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = stored.StatusCode;
            if (stored.ContentType is not null) http.Response.ContentType = stored.ContentType;
            if (stored.Location is not null) http.Response.Headers.Location = stored.Location;
            http.Response.Headers[ReplayedHeader] = "true";
            await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted);
        }
    }
}
