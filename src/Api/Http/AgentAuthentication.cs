using System.Security.Claims;
using System.Text.Encodings.Web;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Actors.Api.Http;

public sealed class AgentAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>How long a resolved key is trusted before asking its grain again (bounds revocation delay).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c> for every surface. The key is hashed here and
/// resolved by its <see cref="IApiKeyGrain"/>; answers are cached briefly per API process.
/// </summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AgentAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient orleans,
    IMemoryCache cache)
    : AuthenticationHandler<AgentAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "AgentKey";
    public const string AgentIdClaim = "agent_id";
    public const string KeyPrefixClaim = "key_prefix";
    const int MaxKeyLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Authorization must be a Bearer API key");
        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > MaxKeyLength) return AuthenticateResult.Fail("Invalid API key");

        var grainId = SecretHash.ApiKeyGrainId(key);
        var owner = await cache.GetOrCreateAsync(grainId, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Options.CacheFor;
            return orleans.GetGrain<IApiKeyGrain>(grainId).Resolve();
        });
        if (owner is null) return AuthenticateResult.Fail("Invalid API key");

        var identity = new ClaimsIdentity(
            [new Claim(AgentIdClaim, owner.AgentId), new Claim(KeyPrefixClaim, owner.Prefix)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        var message = result.Failure?.Message ?? "Missing API key: send Authorization: Bearer <your API key>";
        await ApiProblem.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", message);
    }
}

/// <summary>The authenticated agent, bound as a handler parameter.</summary>
public sealed record AgentPrincipal(string AgentId)
{
    public static ValueTask<AgentPrincipal?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value is { } id
            ? new AgentPrincipal(id)
            : null);
}
