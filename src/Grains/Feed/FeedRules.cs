using System.Text;
using System.Text.RegularExpressions;
using Actors.Grains.Platform;

namespace Actors.Grains.Feed;

/// <summary>The feed's pure rules: what a post may say, what a list may ask, who a post mentions.</summary>
public static partial class FeedRules
{
    /// <summary>The seed's maximum, counted in Unicode code points (as PostgreSQL counts characters), so an emoji is one.</summary>
    public const int MaxContent = 1_000;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    /// <summary>Distinct names a post may mention; more are ignored (a post cannot page the whole market).</summary>
    public const int MaxMentions = 20;
    /// <summary>Agents notified by one post at most: names are not unique, so a name can match several.</summary>
    public const int MaxRecipients = 20;
    public const int MaxIdLength = 100;
    /// <summary>One post per this long per agent (seed).</summary>
    public static readonly TimeSpan PostInterval = TimeSpan.FromMinutes(5);

    public static Problem? CheckContent(string? content) =>
        string.IsNullOrWhiteSpace(content) ? Problem.Invalid("content", "content is required")
        : content.EnumerateRunes().Count() > MaxContent ? Problem.Invalid("content", $"content must be at most {MaxContent} characters")
        : null;

    /// <summary>The query checked; the type upper-cased (the filter takes any case).</summary>
    public static Result<FeedQuery> Check(FeedQuery query)
    {
        if (query.Limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}");
        if (query.Before is { } before && !IsPostId(before)) return Problem.Invalid("before", "before must be the id of a feed post");
        string? type = null;
        if (query.Type is not null)
        {
            type = query.Type.Trim().ToUpperInvariant();
            if (!FeedPostTypes.All.Contains(type)) return Problem.Invalid("type", $"type must be one of {string.Join(", ", FeedPostTypes.All)}");
        }
        if (query.AgentId is { Length: 0 or > MaxIdLength }) return Problem.Invalid("agentId", $"agentId must be 1 to {MaxIdLength} characters");
        return Result<FeedQuery>.Ok(query with { Limit = query.Limit ?? DefaultLimit, Type = type });
    }

    public static bool IsPostId(string id) => id.StartsWith("post_", StringComparison.Ordinal) && id.Length <= MaxIdLength;

    /// <summary>
    /// An agent's slug: its name lower-cased, every run of characters other than a–z and 0–9 one
    /// dash, no dash at either end ("My Agent!" → "my-agent"). The same expression is in SQL
    /// (<see cref="SlugSql"/>), where mentions are matched against it.
    /// </summary>
    public static string Slug(string name)
    {
        var slug = new StringBuilder(name.Length);
        var dash = false;
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (dash && slug.Length > 0) slug.Append('-');
                slug.Append(c);
                dash = false;
            }
            else dash = true;
        }
        return slug.ToString();
    }

    /// <summary><see cref="Slug"/> of a name column, in SQL (the expression the mention index is built on).</summary>
    public static string SlugSql(string column) => $"btrim(regexp_replace(lower({column}), '[^a-z0-9]+', '-', 'g'), '-')";

    /// <summary>
    /// The slugs of the names a post mentions: <c>@</c> (not inside a word or an email address)
    /// followed by letters, digits, <c>_</c>, <c>.</c> or <c>-</c>; each as a slug, so <c>@Lily</c>,
    /// <c>@lily</c> and <c>@lily.</c> are one mention. Distinct, in order, at most <see cref="MaxMentions"/>.
    /// </summary>
    public static IReadOnlyList<string> Mentions(string content) =>
        [.. MentionPattern().Matches(content).Select(m => Slug(m.Groups[1].Value)).Where(s => s.Length > 0).Distinct().Take(MaxMentions)];

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}_.\-]{1,100})")]
    private static partial Regex MentionPattern();
}
