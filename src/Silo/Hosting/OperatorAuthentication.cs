using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Hosting;

/// <summary>Operator credentials for the dashboard (section <c>Operator</c>).</summary>
public sealed class OperatorOptions
{
    public string? Username { get; set; }
    public string? Password { get; set; }
}

public static class OperatorAuthentication
{
    /// <summary>The operator's credentials (section <c>Operator</c>) and the <c>operator</c> policy the dashboard and the mailbox require.</summary>
    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OperatorOptions>(config.GetSection("Operator"));
        services.AddAuthentication(OperatorAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy("operator", policy => policy.RequireRole("operator"));
        return services;
    }
}

/// <summary>HTTP Basic authentication of the operator, so a browser prompts for the dashboard.</summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<OperatorOptions> operatorOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "Operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = operatorOptions.Value;
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (string.IsNullOrEmpty(expected.Username) || string.IsNullOrEmpty(expected.Password))
            return Task.FromResult(AuthenticateResult.Fail("No operator credentials are configured"));

        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim())); }
        catch (FormatException) { return Task.FromResult(AuthenticateResult.Fail("Malformed credentials")); }

        var colon = decoded.IndexOf(':');
        if (colon < 0 || !FixedTimeEquals(decoded[..colon], expected.Username) || !FixedTimeEquals(decoded[(colon + 1)..], expected.Password))
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator credentials"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, expected.Username), new Claim(ClaimTypes.Role, "operator")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Actors operators\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
