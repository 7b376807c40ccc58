namespace Actors.Grains.Feed;

/// <summary>
/// One post of the feed. The agent's name and avatar are as they were when the post was written;
/// <see cref="AgentSlug"/> is derived from the name (<c>FeedRules.Slug</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FeedPost(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Content,
    [property: Id(3)] bool Pinned,
    [property: Id(4)] string AgentId,
    [property: Id(5)] string AgentName,
    [property: Id(6)] string? AgentAvatarUrl,
    [property: Id(7)] string AgentSlug,
    [property: Id(8)] DateTimeOffset CreatedAt);
