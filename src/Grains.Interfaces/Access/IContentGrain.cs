using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>A publisher, keyed <c>dom_{domain}</c> (see <see cref="AccessKeys"/>).</summary>
public interface IPublisherGrain : IGrainWithStringKey
{
    Task<Result<PublisherView>> Register(string? name);

    [ReadOnly]
    Task<PublisherView?> Get();

    /// <summary>Registers or replaces one piece of this publisher's content.</summary>
    Task<Result<PublishedContent>> Publish(ContentDraft draft);
}

/// <summary>One piece of content, keyed <c>cnt_{domain}/{contentId}</c>: tier, license, the text.</summary>
public interface IContentGrain : IGrainWithStringKey
{
    Task<Result<PublishedContent>> Put(string publisherId, ContentDraft draft);

    [ReadOnly]
    Task<ContentTerms?> GetTerms();

    [ReadOnly]
    Task<ContentDocument?> GetDocument();
}

/// <summary>HEAD discovery: which content (if any) a publisher's path is.</summary>
public interface IContentDiscoveryGrain : IGrainWithStringKey
{
    /// <summary>Discovery has one key.</summary>
    const string Key = "content-discovery";

    [ReadOnly]
    Task<ContentTerms?> Discover(string domain, string path);
}

[GenerateSerializer, Immutable]
public sealed record PublisherView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Domain,
    [property: Id(2)] string Name);

/// <summary>The seed's license object, echoed in authorize answers.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentLicense(
    [property: Id(0)] string Summary,
    [property: Id(1)] bool InternalAnalysis,
    [property: Id(2)] bool Summarisation,
    [property: Id(3)] bool ShortQuotes,
    [property: Id(4)] bool Redistribution,
    [property: Id(5)] bool ModelTraining,
    [property: Id(6)] int CacheTtlSeconds);

[GenerateSerializer, Immutable]
public sealed record ContentDraft(
    [property: Id(0)] string? ContentId,
    [property: Id(1)] string? Path,
    [property: Id(2)] string? Title,
    [property: Id(3)] string? Author,
    [property: Id(4)] DateTimeOffset? PublishedAt,
    [property: Id(5)] string? Markdown,
    [property: Id(6)] IReadOnlyList<string>? Tags,
    [property: Id(7)] int? Tier,
    [property: Id(8)] ContentLicense? License);

[GenerateSerializer, Immutable]
public sealed record PublishedContent(
    [property: Id(0)] string Url,
    [property: Id(1)] string ContentUrl,
    [property: Id(2)] bool Created);

/// <summary>What discovery and authorization need; no text.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentTerms(
    [property: Id(0)] string PublisherId,
    [property: Id(1)] string Domain,
    [property: Id(2)] string ContentId,
    [property: Id(3)] string Path,
    [property: Id(4)] int Tier,
    [property: Id(5)] string LicenseId,
    [property: Id(6)] ContentLicense License,
    [property: Id(7)] string CanonicalUrl,
    [property: Id(8)] string ContentUrl,
    [property: Id(9)] string Title);

/// <summary>The seed's content JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentDocument(
    [property: Id(0)] string ContentId,
    [property: Id(1)] string CanonicalUrl,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Author,
    [property: Id(4)] DateTimeOffset PublishedAt,
    [property: Id(5)] string Markdown,
    [property: Id(6)] int WordCount,
    [property: Id(7)] string ReadingTime,
    [property: Id(8)] IReadOnlyList<string> Tags);
