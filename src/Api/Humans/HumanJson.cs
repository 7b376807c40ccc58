using Actors.Api.Http;

namespace Actors.Api.Humans;

/// <summary>
/// JSON endpoints a signed-in human calls with the session cookie (the taskboard client's API).
/// A cross-site page must not be able to make them: the cookie is SameSite=Strict; an unsafe call
/// must also be <c>application/json</c> (an HTML form cannot send that, and a cross-site script
/// cannot without a CORS preflight we never grant) and is refused when its <c>Origin</c> (or
/// <c>Referer</c>) is another site.
/// </summary>
public static class HumanJson
{
    /// <summary>
    /// Requires the session (none: 401 with <paramref name="refuse"/>'s body, the surface's error shape;
    /// no redirect, this is an API), then refuses a cross-origin unsafe call (403) and one whose body
    /// is not JSON (415) the same way. Nothing of the handler runs for a refused call.
    /// </summary>
    public static TBuilder RequireHumanJson<TBuilder>(this TBuilder builder, Func<int, string, IResult> refuse)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(HumanSessions.ApiPolicy).WithMetadata(new HumanJsonRefusal(refuse));
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return await next(context);
            if (HumanForms.IsCrossOrigin(request))
                return refuse(StatusCodes.Status403Forbidden, "This call can only come from this site's own pages (its Origin is another site)");
            if (!request.HasJsonContentType())
                return refuse(StatusCodes.Status415UnsupportedMediaType, "Send this call as application/json");
            return await next(context);
        });
    }
}
