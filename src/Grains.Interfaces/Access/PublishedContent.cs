namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record PublishedContent(
    [property: Id(0)] string Url,
    [property: Id(1)] string ContentUrl,
    [property: Id(2)] bool Created);
