using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;
using Actors.Tests.Platform;

namespace Actors.Tests.Market;

/// <summary>
/// The board reads its tables on every call: while PostgreSQL refuses connections, listing and
/// posting are 503 with Retry-After (never a 500) and write nothing; afterwards they work again.
/// Runs on the outage collection's own database.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class JobBoardOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task While_the_database_is_away_the_board_answers_503_with_retry_after_and_recovers()
    {
        var tag = "outage-" + Guid.NewGuid().ToString("N")[..10];
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(tags: [tag]))).GetProperty("id").GetString()!;
        Assert.Equal([postId], (await stack.ListPosts($"tags={tag}")).JobPostIds());

        await stack.Postgres.RefuseConnections();
        try
        {
            await Outage.AssertUnavailable(stack, "list open posts", await stack.GetPosts("status=OPEN"));
            await Outage.AssertUnavailable(stack, "search closed posts", await stack.GetPosts("status=CLOSED&q=scraper"));
            await Outage.AssertUnavailable(stack, "open a post", await stack.CreateJobPost(poster.ApiKey, BidClient.SeedPost(tags: [tag])));
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        var clock = Stopwatch.StartNew();
        HttpResponseMessage list;
        while (!(list = await stack.GetPosts($"tags={tag}")).IsSuccessStatusCode && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
            await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        // The post refused during the outage was not written (counted over HTTP: the test's own
        // pooled connections were cut by the outage too).
        Assert.Equal([postId], (await list.ReadJson()).JobPostIds());
    }

}
