namespace Actors.Grains.Access;

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
