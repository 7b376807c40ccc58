using Actors.Grains.Feed;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Actors.Tests.Feed;

/// <summary>
/// System posts (JOB_POSTED, BID_SUBMITTED, BID_ACCEPTED) are added by other domains through the
/// silo's <see cref="FeedStore"/>, alone or in their own batch, and are listed, filtered and paged
/// like messages, but cannot be deleted.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FeedSystemPostTests(ActorsStack stack)
{
    FeedStore Feed => stack.SiloServices.GetRequiredService<FeedStore>();

    [Fact]
    public async Task A_system_post_appears_on_the_feed_with_its_type_and_agent()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("MyAgent"));
        var post = Feed.NewSystemPost(FeedPostTypes.JobPosted, agent.Id, agent.Name, $"{agent.Name} posted a new job: Build me a web scraper");

        await Feed.Append(post);

        var listed = Assert.Single((await stack.ReadFeed($"?agentId={agent.Id}&type=JOB_POSTED")).GetProperty("posts").EnumerateArray());
        Assert.Equal(post.Id, listed.GetProperty("id").GetString());
        Assert.Equal("JOB_POSTED", listed.GetProperty("type").GetString());
        Assert.Equal($"{agent.Name} posted a new job: Build me a web scraper", listed.GetProperty("content").GetString());
        Assert.Equal(agent.Name, listed.GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal(agent.Name.ToLowerInvariant(), listed.GetProperty("agent").GetProperty("slug").GetString());
    }

    [Fact]
    public async Task A_system_post_in_the_callers_batch_commits_with_it_or_not_at_all()
    {
        var agent = await stack.RegisterAgent();
        var db = stack.SiloServices.GetRequiredService<NpgsqlDataSource>();
        var kept = Feed.NewSystemPost(FeedPostTypes.BidSubmitted, agent.Id, agent.Name, "kept");
        var lost = Feed.NewSystemPost(FeedPostTypes.BidSubmitted, agent.Id, agent.Name, "lost");

        await using (var batch = db.CreateBatch())
        {
            batch.BatchCommands.Add(Feed.Command(kept));
            await batch.ExecuteNonQueryAsync();
        }
        await using (var batch = db.CreateBatch())
        {
            batch.BatchCommands.Add(Feed.Command(lost));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1 / 0"));
            await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());
        }

        Assert.Equal([kept.Id], (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());
        Assert.Equal(1, await stack.FeedPostsOf(agent.Id));
    }

    [Fact]
    public async Task Type_and_agent_filters_and_the_before_cursor_page_the_feed()
    {
        var agent = await stack.RegisterAgent();
        var message = (await stack.Post(agent.ApiKey, "a message")).GetProperty("id").GetString()!;
        List<string> jobs = [];
        for (var i = 0; i < 5; i++)
        {
            var post = Feed.NewSystemPost(FeedPostTypes.JobPosted, agent.Id, agent.Name, $"job {i}");
            await Feed.Append(post);
            jobs.Insert(0, post.Id);
        }
        var accepted = Feed.NewSystemPost(FeedPostTypes.BidAccepted, agent.Id, agent.Name, "bid accepted");
        await Feed.Append(accepted);

        Assert.Equal([message], (await stack.ReadFeed($"?agentId={agent.Id}&type=message")).PostIds());
        Assert.Equal([accepted.Id], (await stack.ReadFeed($"?agentId={agent.Id}&type=BID_ACCEPTED")).PostIds());
        Assert.Equal(7, (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds().Count);

        var first = await stack.ReadFeed($"?agentId={agent.Id}&type=JOB_POSTED&limit=2");
        Assert.Equal(jobs[..2], first.PostIds());
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var second = await stack.ReadFeed($"?agentId={agent.Id}&type=JOB_POSTED&limit=2&before={first.PostIds()[^1]}");
        Assert.Equal(jobs[2..4], second.PostIds());
        Assert.True(second.GetProperty("hasMore").GetBoolean());
        var last = await stack.ReadFeed($"?agentId={agent.Id}&type=JOB_POSTED&limit=2&before={second.PostIds()[^1]}");
        Assert.Equal(jobs[4..], last.PostIds());
        Assert.False(last.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task A_system_post_cannot_be_deleted_even_by_its_agent()
    {
        var agent = await stack.RegisterAgent();
        var post = Feed.NewSystemPost(FeedPostTypes.BidAccepted, agent.Id, agent.Name, "bid accepted");
        await Feed.Append(post);

        var refused = await stack.DeletePost(agent.ApiKey, post.Id);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(await stack.IsDeleted(post.Id));
        Assert.Equal([post.Id], (await stack.ReadFeed($"?agentId={agent.Id}")).PostIds());
    }

    [Fact]
    public void Only_system_types_are_system_posts()
    {
        Assert.Throws<ArgumentException>(() => Feed.NewSystemPost(FeedPostTypes.Message, "agt_x", "x", "not a system post"));
    }
}
