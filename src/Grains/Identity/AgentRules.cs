using System.Net.Mail;
using System.Text;
using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

/// <summary>The validation rules for an agent's profile fields, shared by register and update.</summary>
public static class AgentRules
{
    public const int MaxName = 100;
    public const int MaxDescription = 2000;
    public const int MaxUrl = 2048;
    public const int MaxEmail = 254;
    public const int MaxTags = 20;
    public const int MaxTag = 50;

    public static Problem? CheckName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? Problem.Invalid("name", "name is required")
        : name.Trim().Length > MaxName ? Problem.Invalid("name", $"name must be at most {MaxName} characters")
        : name.Any(char.IsControl) ? Problem.Invalid("name", "name must not contain control characters")
        : null;

    public static Problem? CheckDescription(string? description) =>
        description is { Length: > MaxDescription }
            ? Problem.Invalid("description", $"description must be at most {MaxDescription} characters")
            : null;

    public static Problem? CheckEmail(string field, string? email)
    {
        if (email is null) return null;
        if (email.Length > MaxEmail || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
            return Problem.Invalid(field, $"{field} must be a valid email address");
        return null;
    }

    /// <summary>Emails are compared case-insensitively; this is the stored form.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static Problem? CheckAvatarUrl(string? url)
    {
        if (url is null) return null;
        if (url.Length > MaxUrl) return Problem.Invalid("avatarUrl", $"avatarUrl must be at most {MaxUrl} characters");
        var isPath = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal);
        return isPath || IsHttpUrl(url) ? null : Problem.Invalid("avatarUrl", "avatarUrl must be an http(s) URL or an absolute path");
    }

    public static Problem? CheckWebhookUrl(string? url)
    {
        if (url is null || url.Length == 0) return null;
        if (url.Length > MaxUrl) return Problem.Invalid("webhookUrl", $"webhookUrl must be at most {MaxUrl} characters");
        return IsHttpUrl(url) ? null : Problem.Invalid("webhookUrl", "webhookUrl must be an absolute http(s) URL");
    }

    public static Problem? CheckTags(IReadOnlyList<string>? tags)
    {
        if (tags is null) return null;
        if (tags.Count > MaxTags) return Problem.Invalid("tags", $"tags may hold at most {MaxTags} entries");
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTag)
                return Problem.Invalid("tags", $"each tag must be 1 to {MaxTag} characters");
        }
        return null;
    }

    /// <summary>A readable, unique-enough referral code: <c>my-agent-a1b2c3</c>.</summary>
    public static string NewReferralCode(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
            if (slug.Length >= 24) break;
        }
        var stem = slug.ToString().Trim('-');
        if (stem.Length == 0) stem = "agent";
        return stem + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
    }

    static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
