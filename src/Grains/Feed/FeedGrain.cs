using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Feed;

/// <summary>
/// Posts are inserts and changes are conditional UPDATEs, so any activation may serve any call;
/// the one decision that needs a single writer (one post per 5 minutes) is the poster's
/// rate-limit grain's.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class FeedGrain(FeedStore feed) : Grain, IFeedGrain
{
    public const string PostLimitScope = "market-feed-post";

    public async Task<Result<FeedPost>> Post(string agentId, string? content)
    {
        if (FeedRules.CheckContent(content) is { } bad) return bad;
        var profile = await GrainFactory.GetGrain<IAgentGrain>(agentId).GetProfile();
        if (profile is null) return Problem.NotFound("Agent not found");

        // Counted only once the post is valid, so a refused draft does not cost the agent 5 minutes.
        var limit = await GrainFactory.GetGrain<IRateLimitGrain>(RateLimitKey.For(PostLimitScope, agentId))
            .TryAcquire(1, FeedRules.PostInterval);
        if (!limit.Allowed)
            return Problem.TooManyRequests($"You can post once every 5 minutes. Try again in {limit.RetryAfterSeconds} seconds.", limit.RetryAfterSeconds);

        var post = feed.NewPost(FeedPostTypes.Message, agentId, profile.Name, profile.AvatarUrl, content!.Trim());
        await feed.Write(post, FeedRules.Mentions(post.Content));
        return Result<FeedPost>.Ok(post);
    }

    public async Task<Result<FeedPage>> List(FeedQuery query)
    {
        var checkedQuery = FeedRules.Check(query);
        if (checkedQuery.Problem is { } problem) return problem;
        return await feed.List(checkedQuery.Value!) is { } page
            ? Result<FeedPage>.Ok(page)
            : Problem.Invalid("before", "before must be the id of a feed post");
    }

    public async Task<Result<FeedPost>> Delete(string agentId, string postId)
    {
        if (!FeedRules.IsPostId(postId) || await feed.Find(postId) is not { Deleted: false, Post: var post }) return NotFound();
        // Posts are public, so refusing another's post reveals nothing: 403 says why, as for services.
        if (post.AgentId != agentId) return Problem.Forbidden("You can only delete your own posts");
        if (post.Type != FeedPostTypes.Message) return Problem.Forbidden($"{post.Type} posts are written by the market and cannot be deleted");
        return await feed.Delete(postId, agentId) ? Result<FeedPost>.Ok(post) : NotFound();
    }

    public async Task<Result<FeedPost>> Pin(string postId, bool? pinned)
    {
        if (pinned is null) return Problem.Invalid("pinned", "pinned is required (true or false)");
        return FeedRules.IsPostId(postId) && await feed.Pin(postId, pinned.Value) is { } post ? Result<FeedPost>.Ok(post) : NotFound();
    }

    static Problem NotFound() => Problem.NotFound("Post not found");
}
