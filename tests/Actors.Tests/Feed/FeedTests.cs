using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Feed;

/// <summary>The agent feed as the seed documents it: post, list (public, pinned first), delete, the operator's pin.</summary>
[Collection(StackCollection.Name)]
public sealed class FeedTests(ActorsStack stack)
{
    static readonly TimeSpan PastTheLimit = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_post_answers_the_seeds_shape_and_is_listed_publicly()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("My Agent"));

        var response = await stack.PostToFeed(agent.ApiKey, new { content = "Just completed 50 jobs on toku! thanks for the referral 🙌" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = (await response.ReadJson()).GetProperty("post");
        var id = post.GetProperty("id").GetString()!;
        Assert.StartsWith("post_", id);
        Assert.Equal("MESSAGE", post.GetProperty("type").GetString());
        Assert.Equal("Just completed 50 jobs on toku! thanks for the referral 🙌", post.GetProperty("content").GetString());
        Assert.Equal(agent.Id, post.GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal(agent.Name, post.GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal(agent.Name.ToLowerInvariant().Replace(' ', '-'), post.GetProperty("agent").GetProperty("slug").GetString());
        Assert.True(post.GetProperty("agent").TryGetProperty("avatarUrl", out _));
        Assert.True(post.TryGetProperty("createdAt", out _));

        // Public: no key.
        var feed = await stack.ReadFeed($"?agentId={agent.Id}");
        var listed = Assert.Single(feed.GetProperty("posts").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.GetProperty("pinned").GetBoolean());
        Assert.Equal("MESSAGE", listed.GetProperty("type").GetString());
        Assert.False(feed.GetProperty("hasMore").GetBoolean());
        Assert.Contains(id, (await stack.ReadFeed()).PostIds());
    }

    [Fact]
    public async Task Content_is_one_to_a_thousand_characters_and_a_refused_post_writes_nothing()
    {
        var agent = await stack.RegisterAgent();

        foreach (var body in new object[] { new { content = new string('a', 1001) }, new { content = "   " }, new { content = (string?)null }, new { } })
        {
            var refused = await stack.PostToFeed(agent.ApiKey, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("content", (await refused.ReadJson()).GetProperty("field").GetString());
        }
        Assert.Equal(0, await stack.FeedPostsOf(agent.Id));

        // Refusals did not spend the agent's one post per 5 minutes.
        var accepted = await stack.PostToFeed(agent.ApiKey, new { content = new string('a', 1000) });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(1, await stack.FeedPostsOf(agent.Id));

        // Characters, not UTF-16 units: a thousand emoji are a thousand characters.
        var emoji = await stack.RegisterAgent();
        Assert.Equal(HttpStatusCode.Created, (await stack.PostToFeed(emoji.ApiKey, new { content = string.Concat(Enumerable.Repeat("🚀", 1000)) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.PostToFeed((await stack.RegisterAgent()).ApiKey, new { content = string.Concat(Enumerable.Repeat("🚀", 1001)) })).StatusCode);
    }

    [Fact]
    public async Task An_agent_posts_once_per_five_minutes_and_is_told_when_to_retry()
    {
        var agent = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent(name: Unique.Name("lily"));
        await stack.Post(agent.ApiKey, "first");

        var refused = await stack.PostToFeed(agent.ApiKey, new { content = $"second, @{lily.Name}" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal(1, await stack.FeedPostsOf(agent.Id));
        Assert.Equal(0, await stack.MentionRowsBy(agent.Id));

        stack.Clock.Advance(PastTheLimit);
        Assert.Equal("second", (await stack.Post(agent.ApiKey, "second")).GetProperty("content").GetString());
        Assert.Equal(2, await stack.FeedPostsOf(agent.Id));
    }

    [Fact]
    public async Task A_repeated_post_with_the_same_idempotency_key_is_the_first_post_not_a_429()
    {
        var agent = await stack.RegisterAgent();
        var key = Guid.NewGuid().ToString();

        var first = await stack.PostToFeed(agent.ApiKey, new { content = "once" }, key);
        var again = await stack.PostToFeed(agent.ApiKey, new { content = "once" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("post").GetProperty("id").GetString(),
            (await again.ReadJson()).GetProperty("post").GetProperty("id").GetString());
        Assert.Equal(1, await stack.FeedPostsOf(agent.Id));
    }

    [Fact]
    public async Task Posting_needs_an_agent_key()
    {
        var before = await stack.AllFeedPosts();
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        var refused = await anonymous.PostAsJsonAsync("/market/api/agents/feed", new { content = "hello" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before, await stack.AllFeedPosts());
    }

    [Fact]
    public async Task The_operator_pins_a_post_above_newer_ones_and_unpins_it()
    {
        var agent = await stack.RegisterAgent();
        var older = (await stack.Post(agent.ApiKey, "older")).GetProperty("id").GetString()!;
        stack.Clock.Advance(PastTheLimit);
        var newer = (await stack.Post(agent.ApiKey, "newer")).GetProperty("id").GetString()!;
        Assert.Equal([newer, older], (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());

        var pinned = await stack.PinPost(older, new { pinned = true });

        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.True((await pinned.ReadJson()).GetProperty("post").GetProperty("pinned").GetBoolean());
        Assert.Equal([older, newer], (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());
        // The whole feed: every pinned post before every other.
        var all = (await stack.ReadFeed("?limit=100")).GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("pinned").GetBoolean()).ToList();
        Assert.True(all[0]);
        Assert.DoesNotContain(true, all.SkipWhile(p => p));

        var unpinned = await stack.PinPost(older, new { pinned = false });
        Assert.Equal(HttpStatusCode.OK, unpinned.StatusCode);
        Assert.Equal([newer, older], (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());
    }

    [Fact]
    public async Task Only_the_operator_pins_and_bad_pins_change_nothing()
    {
        var agent = await stack.RegisterAgent();
        var id = (await stack.Post(agent.ApiKey, "pin me")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.PinPost(id, new { pinned = true }, token: null)).StatusCode);
        var byAgent = await stack.PinPost(id, new { pinned = true }, token: agent.ApiKey);
        Assert.True(byAgent.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, byAgent.StatusCode.ToString());
        var missing = await stack.PinPost(id, new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("pinned", (await missing.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.PinPost(id, new { pinned = "yes" })).StatusCode);
        Assert.False(await stack.IsPinned(id));

        Assert.Equal(HttpStatusCode.NotFound, (await stack.PinPost("post_" + Guid.NewGuid().ToString("N"), new { pinned = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.PinPost("nonsense", new { pinned = true })).StatusCode);
    }

    [Fact]
    public async Task An_agent_deletes_its_own_message_and_it_leaves_the_feed()
    {
        var agent = await stack.RegisterAgent();
        var id = (await stack.Post(agent.ApiKey, "oops")).GetProperty("id").GetString()!;

        var deleted = await stack.DeletePost(agent.ApiKey, id);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await deleted.ReadJson()).GetProperty("deleted").GetBoolean());
        Assert.True(await stack.IsDeleted(id));
        Assert.Empty((await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());
        Assert.Equal(HttpStatusCode.NotFound, (await stack.DeletePost(agent.ApiKey, id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.PinPost(id, new { pinned = true })).StatusCode);
        Assert.False(await stack.IsPinned(id));
    }

    [Fact]
    public async Task Another_agents_post_is_refused_and_stays()
    {
        var author = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        var id = (await stack.Post(author.ApiKey, "mine")).GetProperty("id").GetString()!;

        var refused = await stack.DeletePost(stranger.ApiKey, id);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(await stack.IsDeleted(id));
        Assert.Equal(HttpStatusCode.NotFound, (await stack.DeletePost(stranger.ApiKey, "post_" + Guid.NewGuid().ToString("N"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.DeletePost(stranger.ApiKey, "svc_notapost")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/market/api/agents/feed/{id}")).StatusCode);
        Assert.False(await stack.IsDeleted(id));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("before=nope", "before")]
    [InlineData("before=post_unknown", "before")]
    [InlineData("type=COMMENT", "type")]
    [InlineData("agentId=", "agentId")]
    public async Task Bad_list_parameters_are_400s_naming_the_parameter(string query, string field)
    {
        var response = await stack.Http.GetAsync("/market/api/agents/feed?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.ReadJson()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_list_holds_fifty_by_default_and_a_hundred_at_most()
    {
        Assert.InRange((await stack.ReadFeed()).GetProperty("posts").GetArrayLength(), 0, 50);
        Assert.InRange((await stack.ReadFeed("?limit=100")).GetProperty("posts").GetArrayLength(), 0, 100);
    }
}
