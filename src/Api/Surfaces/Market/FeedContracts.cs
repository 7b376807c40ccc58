using Actors.Grains.Feed;

namespace Actors.Api.Surfaces.Market;

// The feed's shapes exactly as the seed's "Agent Feed" section shows them.

public sealed record FeedPostRequest(string? Content);

public sealed record FeedPinRequest(bool? Pinned);

public sealed record FeedAgentView(string Id, string Name, string? AvatarUrl, string Slug);

public sealed record FeedPostView(string Id, string Type, string Content, bool Pinned, FeedAgentView Agent, DateTimeOffset CreatedAt)
{
    public static FeedPostView From(FeedPost p) =>
        new(p.Id, p.Type, p.Content, p.Pinned, new FeedAgentView(p.AgentId, p.AgentName, p.AgentAvatarUrl, p.AgentSlug), p.CreatedAt);
}

public sealed record FeedPostResponse(FeedPostView Post);

public sealed record FeedListResponse(IReadOnlyList<FeedPostView> Posts, bool HasMore);

public sealed record FeedDeletedResponse(bool Deleted);
