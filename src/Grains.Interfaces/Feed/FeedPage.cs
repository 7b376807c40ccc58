namespace Actors.Grains.Feed;

[GenerateSerializer, Immutable]
public sealed record FeedPage(
    [property: Id(0)] IReadOnlyList<FeedPost> Posts,
    [property: Id(1)] bool HasMore);
