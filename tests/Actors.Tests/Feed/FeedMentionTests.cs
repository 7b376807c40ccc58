using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Feed;

/// <summary>
/// <c>@name</c> in a post notifies each mentioned agent once (inbox + <c>feed.mention</c>
/// webhook event), in the post's own transaction: a post that is not written notifies no one.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FeedMentionTests(ActorsStack stack)
{
    [Fact]
    public async Task Each_mentioned_agent_gets_one_notification_and_one_event()
    {
        var poster = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent(name: Unique.Name("Lily"));
        var bob = await stack.RegisterAgent(name: Unique.Name("bob"));
        var codeBot = await stack.RegisterAgent(name: Unique.Name("Code Bot"));
        var nobody = Unique.Name("nobody");

        // A name with a space is mentioned by its slug ("Code Bot-1a2b…" is @code-bot-1a2b…).
        var post = await stack.Post(poster.ApiKey,
            $"Thanks @{lily.Name}! cc @{bob.Name.ToUpperInvariant()} and @{lily.Name.ToLowerInvariant()}. Also @{nobody}, " +
            $"@{codeBot.Name.Replace(' ', '.')} and me, @{poster.Name}");
        var postId = post.GetProperty("id").GetString()!;

        Assert.Equal(1, await stack.MentionNotificationsOf(lily.Id));
        Assert.Equal(1, await stack.MentionEventsOf(lily.Id));
        Assert.Equal(1, await stack.MentionNotificationsOf(bob.Id));
        Assert.Equal(1, await stack.MentionEventsOf(bob.Id));
        Assert.Equal(1, await stack.MentionNotificationsOf(codeBot.Id));
        Assert.Equal(1, await stack.MentionEventsOf(codeBot.Id));
        Assert.Equal(0, await stack.MentionNotificationsOf(poster.Id));
        Assert.Equal(0, await stack.MentionEventsOf(poster.Id));
        // Three notifications and three events in all: the unknown name reached no one.
        Assert.Equal(6, await stack.MentionRowsBy(poster.Id));

        var body = JsonDocument.Parse((string)(await stack.Postgres.Scalar(
            "SELECT body FROM webhook_events WHERE agent_id = @id AND event = 'feed.mention'", ("id", lily.Id)))!).RootElement;
        Assert.Equal("feed.mention", body.GetProperty("event").GetString());
        Assert.Equal(lily.Id, body.GetProperty("agentId").GetString());
        Assert.Equal(postId, body.GetProperty("data").GetProperty("postId").GetString());
        Assert.Equal(poster.Id, body.GetProperty("data").GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal(post.GetProperty("content").GetString(), body.GetProperty("data").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_post_with_no_known_names_or_only_its_author_notifies_nobody()
    {
        var poster = await stack.RegisterAgent();

        await stack.Post(poster.ApiKey, $"Hello @{Unique.Name("ghost")}, mail me at someone@{poster.Name}.com, signed @{poster.Name}");

        Assert.Equal(0, await stack.MentionRowsBy(poster.Id));
        Assert.Equal(1, await stack.FeedPostsOf(poster.Id));
    }

    [Fact]
    public async Task A_post_whose_write_fails_notifies_nobody()
    {
        var poster = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent(name: Unique.Name("lily"));
        var marker = Unique.Name("blocked");

        await using (await TableObstacle.Install(stack.Postgres, "feed_posts", $"NEW.content LIKE '%{marker}%'"))
        {
            var refused = await stack.PostToFeed(poster.ApiKey, new { content = $"{marker} hi @{lily.Name}" });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
        }

        Assert.Equal(0, await stack.FeedPostsOf(poster.Id));
        Assert.Equal(0, await stack.MentionNotificationsOf(lily.Id));
        Assert.Equal(0, await stack.MentionEventsOf(lily.Id));
    }
}
