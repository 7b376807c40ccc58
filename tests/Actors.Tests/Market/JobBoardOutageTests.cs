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
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).GetProperty("id").GetString()!;
        Assert.Contains(postId, (await stack.ListPosts()).JobPostIds());

        await stack.Postgres.RefuseConnections();
        try
        {
            await AssertUnavailable(await stack.GetPosts("status=OPEN"));
            await AssertUnavailable(await stack.GetPosts("status=CLOSED&q=scraper"));
            await AssertUnavailable(await stack.CreateJobPost(poster.ApiKey, BidClient.SeedPost()));
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        var clock = Stopwatch.StartNew();
        HttpResponseMessage list;
        while (!(list = await stack.GetPosts("status=OPEN")).IsSuccessStatusCode && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
            await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(1, await stack.JobPostsBy(poster.Id));
    }

    static async Task AssertUnavailable(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode} {body}");
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "503 without Retry-After");
    }
}
