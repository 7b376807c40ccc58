using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Api.Http;

/// <summary>
/// The operator's admin API: <c>Authorization: Bearer &lt;token&gt;</c> with the token from
/// configuration <c>Admin:Token</c> (or the <c>ACTORS_ADMIN_TOKEN</c> environment variable).
/// Without a configured token the admin API refuses everything. Checked by the authorization
/// middleware, so an unauthenticated request is a 401 before its body is even read.
/// </summary>
public static class AdminToken
{
    public const string SchemeName = "AdminToken";
    public const string PolicyName = "admin";

    public static IServiceCollection AddAdminToken(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy =>
            policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireRole("admin"));
        return services;
    }

    public static TBuilder RequireAdminToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName);
}

public sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration config)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = config["Admin:Token"] is { Length: > 0 } configured ? configured : config["ACTORS_ADMIN_TOKEN"];
        if (string.IsNullOrEmpty(expected))
            return Task.FromResult(AuthenticateResult.Fail("The admin API is disabled: no Admin:Token is configured"));
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!FixedTimeEquals(header["Bearer ".Length..].Trim(), expected))
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator token"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, "admin")], AdminToken.SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AdminToken.SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        await ApiProblem.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "Send the operator token: Authorization: Bearer <ACTORS_ADMIN_TOKEN>");
    }

    static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
