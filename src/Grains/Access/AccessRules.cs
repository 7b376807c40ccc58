using System.Text.RegularExpressions;
using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>Validation and derived values for orgs, publishers and content.</summary>
public static partial class AccessRules
{
    public const int MaxName = 200;
    public const int MaxPlan = 100;
    public const long MaxMonthlyLimit = 1_000_000_000;
    public const int MaxContentId = 200;
    public const int MaxPath = 1000;
    public const int MaxTitle = 500;
    public const int MaxAuthor = 200;
    public const int MaxMarkdown = 512 * 1024;
    public const int MaxTags = 20;
    public const int MaxTag = 50;
    public const int MaxTier = 1000;
    public const int MaxUrl = 2048;
    public const int WordsPerMinute = 225;
    public static TimeSpan TokenLifetime => AccessKeys.TokenLifetime;

    /// <summary>A content path reserved for the protocol itself; publishers cannot register under it.</summary>
    public const string ProtocolPath = "/agentthreshold/";

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._~-]+$")]
    private static partial Regex ContentIdPattern();

    public static Problem? CheckText(string field, string? value, int max, bool required = true) =>
        string.IsNullOrWhiteSpace(value) ? (required ? Problem.Invalid(field, $"{field} is required") : null)
        : value.Length > max ? Problem.Invalid(field, $"{field} must be at most {max} characters")
        : value.Any(char.IsControl) ? Problem.Invalid(field, $"{field} must not contain control characters")
        : null;

    public static Problem? CheckDomain(string field, string? domain) =>
        string.IsNullOrWhiteSpace(domain) ? Problem.Invalid(field, $"{field} is required")
        : !DomainPattern().IsMatch(AccessKeys.NormalizeDomain(domain)) ? Problem.Invalid(field, $"{field} must be a host name such as publisher.com")
        : null;

    public static Problem? CheckContentId(string field, string? contentId) =>
        string.IsNullOrEmpty(contentId) ? Problem.Invalid(field, $"{field} is required")
        : contentId.Length > MaxContentId || !ContentIdPattern().IsMatch(contentId)
            ? Problem.Invalid(field, $"{field} must be 1 to {MaxContentId} letters, digits, '.', '_', '~' or '-'")
        : null;

    public static Problem? CheckPath(string? path)
    {
        if (string.IsNullOrEmpty(path)) return Problem.Invalid("path", "path is required");
        if (path.Length > MaxPath || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal)
            || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\'))
            return Problem.Invalid("path", $"path must start with '/' and be at most {MaxPath} characters, without spaces, '?' or '#'");
        if (path.Split('/').Any(segment => segment is "." or ".."))
            return Problem.Invalid("path", "path must not contain '.' or '..' segments");
        if ((path.TrimEnd('/') + "/").StartsWith(ProtocolPath, StringComparison.OrdinalIgnoreCase))
            return Problem.Invalid("path", $"paths under {ProtocolPath} are reserved for the protocol");
        return null;
    }

    public static Problem? CheckTier(string field, int? tier) =>
        tier is null ? Problem.Invalid(field, $"{field} is required")
        : tier is < 1 or > MaxTier ? Problem.Invalid(field, $"{field} must be an integer from 1 to {MaxTier}")
        : null;

    public static Problem? CheckTags(IReadOnlyList<string>? tags)
    {
        if (tags is null) return null;
        if (tags.Count > MaxTags) return Problem.Invalid("tags", $"tags may hold at most {MaxTags} entries");
        return tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MaxTag || t.Any(char.IsControl))
            ? Problem.Invalid("tags", $"every tag must be 1 to {MaxTag} characters")
            : null;
    }

    public static Problem? CheckLicense(ContentLicense? license) =>
        license is null ? Problem.Invalid("license", "license is required")
        : CheckText("license.summary", license.Summary, 1000)
            ?? (license.CacheTtlSeconds < 0 ? Problem.Invalid("license.cache_ttl_seconds", "license.cache_ttl_seconds must not be negative") : null);

    public static Problem? CheckAbsoluteUrl(string field, string? url) =>
        string.IsNullOrWhiteSpace(url) ? Problem.Invalid(field, $"{field} is required")
        : url.Length > MaxUrl || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")
            ? Problem.Invalid(field, $"{field} must be an absolute http(s) URL")
        : null;

    public static int WordCount(string markdown)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in markdown)
        {
            var wordChar = char.IsLetterOrDigit(c) || c is '\'' or '-' or '_';
            if (wordChar && !inWord) words++;
            inWord = wordChar;
        }
        return words;
    }

    /// <summary>Whole minutes at <see cref="WordsPerMinute"/>, at least one: "7 minutes".</summary>
    public static string ReadingTime(int words)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(words / (double)WordsPerMinute));
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }

    /// <summary>Subscription periods are calendar months in UTC, as in the seed (05-01 to 06-01).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) MonthOf(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1));
    }
}
