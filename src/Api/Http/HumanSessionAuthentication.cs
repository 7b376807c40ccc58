using System.Security.Claims;
using System.Text.Encodings.Web;
using Actors.Grains.Humans;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Actors.Api.Http;

/// <summary>
/// Cookie sessions for humans (the dashboard and every surface's account pages). The cookie holds
/// an opaque secret; its SHA-256 names the <see cref="IHumanSessionGrain"/> that knows who it is.
/// Nothing about the human is in the cookie, so ending the session in the grain ends it everywhere.
/// </summary>
public sealed class HumanSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient orleans,
    IMemoryCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = Request.Cookies[HumanSessions.CookieName];
        if (string.IsNullOrEmpty(secret)) return AuthenticateResult.NoResult();
        if (secret.Length > 200) return AuthenticateResult.Fail("Invalid session");

        var grainId = HumanSessions.GrainId(secret);
        var session = await cache.GetOrCreateAsync(grainId, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = HumanSessions.CacheFor;
            return orleans.GetGrain<IHumanSessionGrain>(grainId).Resolve();
        });
        if (session is null) return AuthenticateResult.Fail("Session ended or expired");
        // Sessions started before the user id was kept in them: the account knows it.
        var userId = session.UserId ?? (await orleans.GetGrain<IHumanGrain>(session.HumanKey).GetAccount())?.UserId;
        if (userId is null) return AuthenticateResult.Fail("Session ended or expired");

        var identity = new ClaimsIdentity(
            [new Claim(HumanSessions.HumanKeyClaim, session.HumanKey), new Claim(ClaimTypes.Email, session.Email), new Claim(HumanSessions.UserIdClaim, userId)],
            HumanSessions.SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HumanSessions.SchemeName));
    }

    /// <summary>
    /// Pages send a signed-out human to the sign-in page, then back. JSON calls (<see cref="HumanSessions.ApiSchemeName"/>)
    /// answer 401 instead, in the endpoint's own error shape when it declares one (<see cref="HumanJsonRefusal"/>).
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Scheme.Name == HumanSessions.ApiSchemeName)
        {
            var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
            var message = failure is null ? "Sign in first: this call needs the session of a signed-in human (/signin)" : $"{failure}: sign in again at /signin";
            if (Context.GetEndpoint()?.Metadata.GetMetadata<HumanJsonRefusal>() is { } refusal)
                await refusal.Refuse(StatusCodes.Status401Unauthorized, message).ExecuteAsync(Context);
            else
                await ApiProblem.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", message);
            return;
        }
        var back = Request.Path + Request.QueryString;
        Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(back));
    }
}

/// <summary>The shared pieces of human sign-in: scheme, policy, cookie.</summary>
public static class HumanSessions
{
    public const string SchemeName = "HumanSession";
    public const string Policy = "human";

    /// <summary>The same sessions for JSON calls: a missing session is a 401, not a redirect (<see cref="Humans.HumanJson"/>).</summary>
    public const string ApiSchemeName = "HumanSessionApi";
    public const string ApiPolicy = "human-api";
    public const string CookieName = "actors_session";
    public const string HumanKeyClaim = "human_key";
    public const string UserIdClaim = "user_id";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    public static string GrainId(string secret) => "hss_" + SecretHash.Of(secret);

    public static AuthenticationBuilder AddHumanSessions(this AuthenticationBuilder auth)
    {
        auth.AddScheme<AuthenticationSchemeOptions, HumanSessionAuthenticationHandler>(SchemeName, null);
        auth.AddScheme<AuthenticationSchemeOptions, HumanSessionAuthenticationHandler>(ApiSchemeName, null);
        auth.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p
                .AddAuthenticationSchemes(SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(HumanKeyClaim))
            .AddPolicy(ApiPolicy, p => p
                .AddAuthenticationSchemes(ApiSchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(HumanKeyClaim));
        auth.Services.AddSingleton<DashboardSections>();
        return auth;
    }

    /// <summary>
    /// HttpOnly, SameSite=Strict (a cross-site form POST carries no session), Secure over HTTPS.
    /// Forms also refuse another origin (<see cref="Humans.HumanForms.RequireSameOrigin"/>).
    /// </summary>
    public static void SetCookie(HttpContext http, string secret, DateTimeOffset expiresAt) =>
        http.Response.Cookies.Append(CookieName, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            Expires = expiresAt,
            IsEssential = true,
        });

    public static void ClearCookie(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}

/// <summary>
/// The signed-in human (<see cref="UserId"/>: the account's <c>usr_…</c>), bound as a handler parameter
/// on human pages and JSON calls. Where the route did not require a session (a page anyone may read),
/// a session cookie is still looked at, so a nullable parameter says who is reading, if anyone.
/// </summary>
public sealed record HumanPrincipal(string HumanKey, string Email, string UserId)
{
    public static async ValueTask<HumanPrincipal?> BindAsync(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirst(HumanSessions.HumanKeyClaim) is null && context.Request.Cookies.ContainsKey(HumanSessions.CookieName))
        {
            var session = await context.AuthenticateAsync(HumanSessions.SchemeName);
            if (session.Succeeded && session.Principal is not null) user = session.Principal;
        }
        return user.FindFirst(HumanSessions.HumanKeyClaim)?.Value is { } key
            ? new HumanPrincipal(key, user.FindFirst(ClaimTypes.Email)?.Value ?? "", user.FindFirst(HumanSessions.UserIdClaim)?.Value ?? "")
            : null;
    }
}

/// <summary>Endpoint metadata: how a JSON call that needs a session answers without one (the surface's error shape).</summary>
public sealed record HumanJsonRefusal(Func<int, string, IResult> Refuse);

/// <summary>
/// What each surface contributes to the human's dashboard (<c>/dashboard</c>) and its settings
/// page (<c>/dashboard/settings</c>): HTML fragments, rendered in registration order.
/// </summary>
public interface IDashboardSection
{
    Task<string> RenderOverview(HumanPrincipal human, HumanOverview overview, IClusterClient orleans);

    Task<string> RenderSettings(HumanPrincipal human, HumanOverview overview, IClusterClient orleans);
}

/// <summary>The sections of this API process; a surface adds its own when it maps its routes.</summary>
public sealed class DashboardSections
{
    readonly List<IDashboardSection> _sections = [];

    public IReadOnlyList<IDashboardSection> All => _sections;

    public void Add(IDashboardSection section)
    {
        if (!_sections.Any(s => s.GetType() == section.GetType())) _sections.Add(section);
    }
}
