using System.Globalization;
using System.Text.Json.Serialization;
using Actors.Grains.Access;

namespace Actors.Api.Surfaces.Access;

// Request and response shapes exactly as the access seed document shows them (snake_case).

public sealed record SubscriptionStatusResponse(
    [property: JsonPropertyName("org_name")] string OrgName,
    [property: JsonPropertyName("plan")] string Plan,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("usage_count")] long UsageCount,
    [property: JsonPropertyName("monthly_limit")] long MonthlyLimit,
    [property: JsonPropertyName("remaining_credits")] long RemainingCredits,
    [property: JsonPropertyName("usage_percentage")] double UsagePercentage,
    [property: JsonPropertyName("period_start")] string PeriodStart,
    [property: JsonPropertyName("period_end")] string PeriodEnd,
    [property: JsonPropertyName("days_until_renewal")] int DaysUntilRenewal)
{
    public static SubscriptionStatusResponse From(SubscriptionStatus s) => new(
        s.OrgName, s.Plan, s.Status, s.UsageCount, s.MonthlyLimit, s.RemainingCredits, s.UsagePercentage,
        AccessTime.Format(s.PeriodStart), AccessTime.Format(s.PeriodEnd), s.DaysUntilRenewal);
}

public sealed record AuthorizeRequest(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("content_id")] string? ContentId,
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("tier")] int? Tier);

public sealed record AuthorizeResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("retrieval_id")] string RetrievalId,
    [property: JsonPropertyName("content_url")] string ContentUrl,
    [property: JsonPropertyName("expires_at")] string ExpiresAt,
    [property: JsonPropertyName("credits_consumed")] int CreditsConsumed,
    [property: JsonPropertyName("remaining_credits")] long RemainingCredits,
    [property: JsonPropertyName("license")] LicenseBody License)
{
    public static AuthorizeResponse From(Authorization a) => new(
        a.AccessToken, a.RetrievalId, a.ContentUrl, AccessTime.Format(a.ExpiresAt), a.CreditsConsumed, a.RemainingCredits,
        LicenseBody.From(a.License));
}

public sealed record LicenseBody(
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("internal_analysis")] bool? InternalAnalysis,
    [property: JsonPropertyName("summarisation")] bool? Summarisation,
    [property: JsonPropertyName("short_quotes")] bool? ShortQuotes,
    [property: JsonPropertyName("redistribution")] bool? Redistribution,
    [property: JsonPropertyName("model_training")] bool? ModelTraining,
    [property: JsonPropertyName("cache_ttl_seconds")] int? CacheTtlSeconds)
{
    /// <summary>When a publisher gives no cache time, the seed's example value (one day).</summary>
    public const int DefaultCacheTtlSeconds = 86400;

    public static LicenseBody From(ContentLicense l) => new(
        l.Summary, l.InternalAnalysis, l.Summarisation, l.ShortQuotes, l.Redistribution, l.ModelTraining, l.CacheTtlSeconds);

    /// <summary>Permissions not given are not granted.</summary>
    public ContentLicense ToLicense() => new(
        Summary ?? "", InternalAnalysis ?? false, Summarisation ?? false, ShortQuotes ?? false,
        Redistribution ?? false, ModelTraining ?? false, CacheTtlSeconds ?? DefaultCacheTtlSeconds);
}

public sealed record ContentResponse(
    [property: JsonPropertyName("content_id")] string ContentId,
    [property: JsonPropertyName("canonical_url")] string CanonicalUrl,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("author")] string? Author,
    [property: JsonPropertyName("published_at")] string PublishedAt,
    [property: JsonPropertyName("content_markdown")] string ContentMarkdown,
    [property: JsonPropertyName("metadata")] ContentMetadata Metadata)
{
    public static ContentResponse From(ContentDocument d) => new(
        d.ContentId, d.CanonicalUrl, d.Title, d.Author, AccessTime.Format(d.PublishedAt), d.Markdown,
        new ContentMetadata(d.WordCount, d.ReadingTime, d.Tags));
}

public sealed record ContentMetadata(
    [property: JsonPropertyName("word_count")] int WordCount,
    [property: JsonPropertyName("reading_time")] string ReadingTime,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>A publisher's server redeeming the token an agent presented to it.</summary>
public sealed record RedeemTokenRequest(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("content_id")] string? ContentId);

// The operator's admin API (camelCase, as the issue specifies; the license object keeps the seed's names).

public sealed record CreateOrgRequest(string? Name, string? Plan, long? MonthlyLimit);

public sealed record CreatedIdResponse(string Id);

public sealed record CreatedKeyResponse(string ApiKey);

public sealed record CreatePublisherRequest(string? Domain, string? Name);

public sealed record PublishContentRequest(
    string? ContentId, string? Path, string? Title, string? Author, DateTimeOffset? PublishedAt,
    string? Markdown, IReadOnlyList<string>? Tags, int? Tier, LicenseBody? License)
{
    public ContentDraft ToDraft() => new(ContentId, Path, Title, Author, PublishedAt, Markdown, Tags, Tier, License?.ToLicense());
}

public sealed record PublishedContentResponse(string Url);

static class AccessTime
{
    /// <summary>UTC with whole seconds and a Z, as the seed writes times: 2026-05-22T01:05:00Z.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
