using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Api.Http;

/// <summary>
/// Routes that an agent calls for itself and the operator may call for any agent (the seed's
/// "Admin can deposit to any agent by providing agentId"): <c>Authorization: Bearer</c> with either
/// an agent's API key or the operator token (<see cref="AdminToken"/>). One scheme tries the
/// agent key, then the operator token, so exactly one challenge answers a request with neither.
/// A handler tells them apart with <see cref="IsOperator"/> (the agent's id is its <c>AgentPrincipal</c>).
/// </summary>
public static class AgentOrOperator
{
    public const string SchemeName = "AgentOrOperator";
    public const string PolicyName = "agent-or-operator";

    public static IServiceCollection AddAgentOrOperator(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AgentOrOperatorHandler>(SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy =>
            policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
        return services;
    }

    public static TBuilder RequireAgentOrOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName);

    public static bool IsOperator(ClaimsPrincipal user) => user.IsInRole("admin") && user.Identity?.AuthenticationType == AdminToken.SchemeName;
}

public sealed class AgentOrOperatorHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The agent key first: it is what nearly every call carries, and a failed scheme logs its
        // failure (the operator token tried first logged "wrong operator token" on every agent call).
        var asAgent = await Context.AuthenticateAsync(AgentAuthenticationHandler.SchemeName);
        if (asAgent.Succeeded) return AuthenticateResult.Success(new AuthenticationTicket(asAgent.Principal, Scheme.Name));
        var asOperator = await Context.AuthenticateAsync(AdminToken.SchemeName);
        return asOperator.Succeeded ? AuthenticateResult.Success(new AuthenticationTicket(asOperator.Principal, Scheme.Name)) : asAgent;
    }

    // An agent key is the usual credential here: its 401 says how to send one.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.ChallengeAsync(AgentAuthenticationHandler.SchemeName);
}
