using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;
using Actors.Tests.Platform;

namespace Actors.Tests.Market;

/// <summary>
/// A post's bids while PostgreSQL refuses connections: a new bid, a PATCH and the list are 503 with
/// Retry-After (never a 500) and nothing is half-written; once the database is back the post
/// reloads its bids from the table and the same calls succeed, each bid there once. Runs on the
/// outage collection's own database.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class BidOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task While_the_database_is_away_bids_are_503_with_retry_after_and_afterwards_they_go_through_once()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var first = await stack.RegisterAgent();
        var second = await stack.RegisterAgent();
        var firstBid = (await stack.Bid(first.ApiKey, postId, 4_000)).BidId();

        await stack.Postgres.RefuseConnections();
        try
        {
            await Outage.AssertUnavailable(stack, "place a bid", await stack.PlaceBid(second.ApiKey, postId, new { priceCents = 3_500, message = "while it is away" }));
            await Outage.AssertUnavailable(stack, "change a bid", await stack.PatchBid(first.ApiKey, postId, firstBid, new { priceCents = 3_000 }));
            using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
            await Outage.AssertUnavailable(stack, "list the bids", await anonymous.GetAsync(BidClient.Bids(postId)));
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        var clock = Stopwatch.StartNew();
        HttpResponseMessage placed;
        while (!(placed = await stack.PlaceBid(second.ApiKey, postId, new { priceCents = 3_500, message = "once it is back" })).IsSuccessStatusCode
               && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, placed.StatusCode);
            await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var changed = await stack.ChangeBid(first.ApiKey, postId, firstBid, new { priceCents = 3_000 });
        Assert.Equal(3_000, changed.GetProperty("bid").GetProperty("priceCents").GetInt64());

        var list = await stack.ListBids(postId);
        Assert.Equal([first.Id, second.Id], list.GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("bidder").Id()));
        Assert.Equal(2, list.GetProperty("totalBids").GetInt32());
        Assert.Equal([4_000], list.GetProperty("bids")[0].GetProperty("priceHistory").EnumerateArray().Select(h => h.GetProperty("priceCents").GetInt64()));
        Assert.Equal(2, (await stack.GetJobPost(postId)).GetProperty("bidCount").GetInt32());
    }

}
