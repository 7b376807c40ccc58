using Actors.Grains.Identity;

namespace Actors.Grains.Access;

/// <summary>Grain ids of the access surface, built in one place for the API and the grains.</summary>
public static class AccessKeys
{
    /// <summary>Domains are case-insensitive: one publisher per lower-cased domain.</summary>
    public static string NormalizeDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    public static string Publisher(string domain) => "dom_" + NormalizeDomain(domain);

    /// <summary><c>cnt_{domain}/{contentId}</c>: a domain never contains a slash, so the key splits at the first one.</summary>
    public static string Content(string domain, string contentId) => "cnt_" + NormalizeDomain(domain) + "/" + contentId;

    /// <summary>An access token's grain: only the hash of the token is ever a key or stored.</summary>
    public static string Token(string accessToken) => "at_" + SecretHash.Of(accessToken);

    public const string TokenPrefix = "at_access";

    /// <summary>An access token is valid this long after it is issued.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);
}
