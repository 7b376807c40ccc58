using Microsoft.AspNetCore.Authentication;

namespace Actors.Api.Http;

/// <summary>
/// Requires an agent key (or, when <c>optional</c>, accepts none but refuses a bad one) on a
/// surface whose 401 has a shape of its own: <c>unauthorized</c> builds the body from the reason.
/// </summary>
public static class AgentKeyFilter
{
    public static TBuilder RequireAgentKey<TBuilder, TResult>(this TBuilder builder, Func<string, WithHeaders<TResult>> unauthorized, string missingKey, bool optional = false)
        where TBuilder : IEndpointConventionBuilder where TResult : IResult =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim) is not null) return await next(context);
            if (optional && string.IsNullOrEmpty(http.Request.Headers.Authorization)) return await next(context);
            var result = await http.AuthenticateAsync();
            return unauthorized(result.Failure?.Message ?? missingKey).With("WWW-Authenticate", "Bearer");
        });
}
