namespace Actors.Grains.Access;

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
