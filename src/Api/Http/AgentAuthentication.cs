using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Api.Http;

public static class AgentAuthentication
{
    /// <summary>Agent keys as the default scheme of every surface; a resolved key is trusted for <c>Auth:KeyCacheFor</c>.</summary>
    public static AuthenticationBuilder AddAgentKeys(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AgentKeyCache>();
        return services.AddAuthentication(AgentAuthenticationHandler.SchemeName)
            .AddScheme<AgentAuthenticationOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName,
                o => o.CacheFor = config.GetValue("Auth:KeyCacheFor", o.CacheFor));
    }
}

public sealed class AgentAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>How long a resolved key is trusted before asking its grain again (bounds revocation delay).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c> for every surface. The key is hashed here and
/// resolved by its <see cref="IApiKeyGrain"/>; answers are cached briefly per API process
/// (<see cref="AgentKeyCache"/>), so a known key costs one SHA-256 and one dictionary lookup.
/// </summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AgentAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient orleans,
    AgentKeyCache cache)
    : AuthenticationHandler<AgentAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "AgentKey";
    public const string AgentIdClaim = "agent_id";
    public const string KeyPrefixClaim = "key_prefix";
    const int MaxKeyLength = 200;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("Authorization must be a Bearer API key"));
        var key = header.AsSpan("Bearer ".Length).Trim();
        if (key.Length is 0 or > MaxKeyLength) return Task.FromResult(AuthenticateResult.Fail("Invalid API key"));

        var hash = KeyHash.Of(key);
        if (cache.TryGet(hash, out var principal)) return Task.FromResult(Outcome(principal));
        return Resolve(hash);
    }

    async Task<AuthenticateResult> Resolve(KeyHash hash)
    {
        var owner = await orleans.GetGrain<IApiKeyGrain>(hash.GrainId()).Resolve();
        return Outcome(cache.Set(hash, owner, Options.CacheFor));
    }

    static AuthenticateResult Outcome(ClaimsPrincipal? principal) => principal is null
        ? AuthenticateResult.Fail("Invalid API key")
        : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

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

/// <summary>SHA-256 of a presented API key: the cache key, and (as hex) the key grain's id.</summary>
public readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
{
    public static KeyHash Of(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..length], hash);
        var words = MemoryMarshal.Cast<byte, ulong>(hash);
        return new KeyHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>Equal to <see cref="SecretHash.ApiKeyGrainId"/> of the same key.</summary>
    public string GrainId()
    {
        Span<ulong> words = [A, B, C, D];
        return "key_" + Convert.ToHexStringLower(MemoryMarshal.AsBytes(words));
    }
}

/// <summary>
/// Resolved API keys of this API process, for <see cref="AgentAuthenticationOptions.CacheFor"/>
/// each (unknown keys too, so a flood of bad keys does not reach the grains). The principal is
/// built once per resolution and shared by the requests that use it: nothing in the pipeline
/// changes a principal (no claims transformation). Bounded: past <see cref="MaxEntries"/> the
/// expired entries are swept, and if that is not enough the cache starts over.
/// </summary>
public sealed class AgentKeyCache
{
    public const int MaxEntries = 100_000;
    readonly ConcurrentDictionary<KeyHash, Entry> _entries = new();

    sealed record Entry(ClaimsPrincipal? Principal, long ExpiresAt);

    public bool TryGet(KeyHash hash, out ClaimsPrincipal? principal)
    {
        if (_entries.TryGetValue(hash, out var entry) && Environment.TickCount64 < entry.ExpiresAt)
        {
            principal = entry.Principal;
            return true;
        }
        principal = null;
        return false;
    }

    public ClaimsPrincipal? Set(KeyHash hash, ApiKeyOwner? owner, TimeSpan cacheFor)
    {
        var principal = owner is null
            ? null
            : new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(AgentAuthenticationHandler.AgentIdClaim, owner.AgentId), new Claim(AgentAuthenticationHandler.KeyPrefixClaim, owner.Prefix)],
                AgentAuthenticationHandler.SchemeName));
        if (_entries.Count >= MaxEntries) Sweep();
        _entries[hash] = new Entry(principal, Environment.TickCount64 + (long)cacheFor.TotalMilliseconds);
        return principal;
    }

    void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (hash, entry) in _entries)
            if (now >= entry.ExpiresAt) _entries.TryRemove(hash, out _);
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }
}
