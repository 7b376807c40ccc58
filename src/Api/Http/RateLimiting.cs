using System.Globalization;
using Actors.Grains.Common;

namespace Actors.Api.Http;

/// <summary>
/// Cluster-wide rate limits for endpoints: the counter lives in a grain, so every API replica
/// sees the same count. Answers 429 with <c>Retry-After</c> and the IETF <c>RateLimit</c> headers.
/// </summary>
public static class RateLimiting
{
    // scope names the limit (one counter per scope and subject); subject says who is counted
    // (the caller's key, an email; null skips the limit); rejection builds the surface's own 429 body.
    public static TBuilder RequireRateLimit<TBuilder>(
        this TBuilder builder, string scope, int limit, TimeSpan window,
        Func<HttpContext, string?> subject, Func<RateDecision, IResult>? rejection = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (subject(http) is not { } who) return await next(context);

            var orleans = http.RequestServices.GetRequiredService<IClusterClient>();
            var decision = await orleans.GetGrain<IRateLimitGrain>(RateLimitKey.For(scope, who)).TryAcquire(limit, window);
            WriteHeaders(http.Response, decision, window);
            if (decision.Allowed) return await next(context);

            http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return rejection?.Invoke(decision) ?? ApiProblem.Create(StatusCodes.Status429TooManyRequests,
                $"Rate limit exceeded: {limit} requests per {window.TotalSeconds:0} seconds. Try again in {decision.RetryAfterSeconds} seconds.");
        });

    public static void WriteHeaders(HttpResponse response, RateDecision decision, TimeSpan window)
    {
        var reset = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Policy"] = $"{decision.Limit};w={(int)window.TotalSeconds}";
        response.Headers["RateLimit"] = $"limit={decision.Limit}, remaining={decision.Remaining}, reset={reset}";
        response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = reset;
    }
}
