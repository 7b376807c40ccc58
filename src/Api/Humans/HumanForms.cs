using Actors.Api.Http;
using Actors.Grains.Platform;

namespace Actors.Api.Humans;

/// <summary>
/// What every state-changing human form shares: the cross-site request forgery check, and reading
/// the posted form. The session cookie is SameSite=Strict, so a forged cross-site POST carries no
/// session; the Origin check also covers the forms that need none (sign-in, the emailed approval
/// and claim links), where a forged POST could sign a browser into someone else's account.
/// </summary>
public static class HumanForms
{
    /// <summary>
    /// Refuses (403, nothing runs) an unsafe request whose <c>Origin</c>, or when a browser sent
    /// none its <c>Referer</c>, names another origin than the request's own (scheme, host and
    /// port). A request with neither header passes: non-browser clients and old browsers send
    /// none, and SameSite=Strict still keeps the session out of a cross-site POST. Safe methods
    /// always pass, so a route group of pages and their forms may carry it.
    /// </summary>
    public static TBuilder RequireSameOrigin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => IsCrossOrigin(context.HttpContext.Request)
            ? HtmlPage.Result("Not accepted", "This form can only be sent from this site's own page. Open the page again and send it from there.",
                StatusCodes.Status403Forbidden)
            : await next(context));

    /// <summary>
    /// The posted form, or null when the body is not one (the page answers that nothing changed).
    /// A body that is a form but cannot be read (malformed or truncated multipart, more than 1,024
    /// fields, a name over 2,048 characters, a body over the size limit) or that carries a control
    /// character other than tab, line feed and carriage return in a name or value
    /// (<see cref="InputRules"/>) throws <see cref="FormRefusedException"/>: a 400 (413) page, before any grain is called.
    /// </summary>
    public static async Task<IFormCollection?> Read(HttpContext http)
    {
        if (!http.Request.HasFormContentType) return null;
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            throw new FormRefusedException(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "This form is too large. Nothing was changed." : "This form could not be read. Nothing was changed.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            // The form reader's limits (field count, name and value lengths) and malformed multipart.
            throw new FormRefusedException(StatusCodes.Status400BadRequest, $"This form could not be read: {e.Message} Nothing was changed.");
        }
        foreach (var (name, values) in form)
        {
            if (InputRules.Violation("a field name", name) is { } badName) throw new FormRefusedException(StatusCodes.Status400BadRequest, badName);
            foreach (var value in values)
                if (InputRules.Violation(name, value) is { } badValue) throw new FormRefusedException(StatusCodes.Status400BadRequest, badValue);
        }
        foreach (var file in form.Files)
            if (InputRules.Violation("a file name", file.Name + file.FileName) is { } badFile) throw new FormRefusedException(StatusCodes.Status400BadRequest, badFile);
        return form;
    }

    /// <summary>
    /// The answer page of a form that makes one grain call: the grain's refusal, with the status
    /// the JSON endpoints give the same problem, or what <paramref name="done"/> shows.
    /// </summary>
    public static async Task<IResult> Answer<T>(HttpContext http, string title,
        Func<IFormCollection, Task<Result<T>>> call, Func<T, IResult> done)
    {
        if (await Read(http) is not { } form) return HtmlPage.Result(title, "Send this form from its page.", StatusCodes.Status400BadRequest);
        var result = await call(form);
        return result.Problem is { } problem ? HtmlPage.Failure(title, problem) : done(result.Value!);
    }

    /// <summary>An unsafe request whose Origin (or Referer) names another origin than its own (see <see cref="RequireSameOrigin"/>).</summary>
    public static bool IsCrossOrigin(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)) return false;
        string? from = request.Headers.Origin;
        if (string.IsNullOrEmpty(from)) from = request.Headers.Referer;
        if (string.IsNullOrEmpty(from)) return false;
        // "null" (an opaque origin: sandboxed frames, a referrer policy hiding a cross-site origin)
        // and anything else that is not one absolute URL name no origin of ours.
        return !Uri.TryCreate(from, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != (request.Host.Port ?? (request.IsHttps ? 443 : 80));
    }
}
