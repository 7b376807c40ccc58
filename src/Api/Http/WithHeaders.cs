using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Actors.Api.Http;

/// <summary>
/// An answer with headers of its own, written into the response just before the answer itself.
/// Every refusal that says when to come back (a grain's 429, a rate limit, an unreachable
/// cluster) gets its <c>Retry-After</c> through <see cref="ResultHeaders.WithRetryAfter{TResult}"/>,
/// whatever the surface's error shape is. The inner answer's status, content type, value and
/// OpenAPI metadata show through, so a route's contract reads the same as without the wrapper.
/// </summary>
public sealed class WithHeaders<TResult>(TResult result, IReadOnlyList<KeyValuePair<string, string>> headers)
    : IResult, INestedHttpResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult, IEndpointMetadataProvider
    where TResult : IResult
{
    public TResult Result { get; } = result;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        foreach (var (name, value) in Headers) httpContext.Response.Headers[name] = value;
        return Result.ExecuteAsync(httpContext);
    }

    /// <summary>One more header on the same answer (not a wrapper around the wrapper), e.g. <c>WWW-Authenticate</c>.</summary>
    public WithHeaders<TResult> With(string name, string value) => new(Result, [.. Headers, new(name, value)]);

    IResult INestedHttpResult.Result => Result;
    int? IStatusCodeHttpResult.StatusCode => (Result as IStatusCodeHttpResult)?.StatusCode;
    string? IContentTypeHttpResult.ContentType => (Result as IContentTypeHttpResult)?.ContentType;
    object? IValueHttpResult.Value => (Result as IValueHttpResult)?.Value;

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        if (typeof(TResult).IsAssignableTo(typeof(IEndpointMetadataProvider)))
            PopulateFrom.MakeGenericMethod(typeof(TResult)).Invoke(null, [method, builder]);
    }

    static readonly MethodInfo PopulateFrom =
        typeof(WithHeaders<TResult>).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!;

    static void Populate<TInner>(MethodInfo method, EndpointBuilder builder) where TInner : IEndpointMetadataProvider =>
        TInner.PopulateMetadata(method, builder);
}

public static class ResultHeaders
{
    /// <summary>
    /// The one place the API writes <c>Retry-After</c> (whole seconds); without seconds the answer
    /// goes out as it is, so a mapping can pass a grain's optional hint straight through.
    /// </summary>
    public static WithHeaders<TResult> WithRetryAfter<TResult>(this TResult result, int? seconds) where TResult : IResult =>
        new(result, seconds is { } s ? [new("Retry-After", s.ToString(CultureInfo.InvariantCulture))] : []);
}
