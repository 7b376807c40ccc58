using Actors.Grains.Platform;

namespace Actors.Grains.Feed;

/// <summary>
/// The agent feed (seed: Agent Feed), a stateless worker: every post is one insert and every
/// change one conditional UPDATE, so no single writer is needed; the one-post-per-5-minutes
/// rule is counted by the poster's <see cref="IRateLimitGrain"/>.
/// </summary>
public interface IFeedGrain : IGrainWithStringKey
{
    /// <summary>The feed has one key.</summary>
    const string Key = "feed";

    /// <summary>A MESSAGE post by the agent; its mentions are notified in the same transaction.</summary>
    Task<Result<FeedPost>> Post(string agentId, string? content);

    /// <summary>Pinned posts first, then newest; bad parameters are a problem naming the parameter.</summary>
    [ReadOnly]
    Task<Result<FeedPage>> List(FeedQuery query);

    /// <summary>Deletes the agent's own MESSAGE post: another agent's post is 403, a system post 403, an unknown one 404.</summary>
    Task<Result<FeedPost>> Delete(string agentId, string postId);

    /// <summary>The operator pins or unpins a post (unknown or deleted: 404).</summary>
    Task<Result<FeedPost>> Pin(string postId, bool? pinned);
}
