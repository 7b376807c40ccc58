using System.Net;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Actors.Tests.Notifications;

namespace Actors.Tests.Market;

/// <summary>
/// A post's deadline closes its bidding: checked against the clock on every call, and reached by
/// the post's reminder alone when nobody calls it. Pending bids then expire, moving no money; a
/// delivered bid nobody approves completes by itself after the market's auto-complete time.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BidDeadlineTests(ActorsStack stack)
{
    [Fact]
    public async Task A_post_takes_bids_until_its_deadline_and_after_it_its_pending_bids_are_expired()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, 10_000);
        var category = BidCrowd.UniqueCategory("deadline");
        var post = await stack.OpenJobPost(poster.ApiKey,
            BidCrowd.UniquePost(deadline: stack.Clock.GetUtcNow().AddHours(1), category: category));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(5, "deadline");
        var bidIds = new List<string>();
        foreach (var (bidder, price) in bidders.Take(3).Zip([4_500L, 4_000L, 3_500L]))
            bidIds.Add((await stack.Bid(bidder.ApiKey, postId, price)).GetProperty("bid").GetProperty("id").GetString()!);

        stack.Clock.Advance(TimeSpan.FromMinutes(58));
        bidIds.Add((await stack.Bid(bidders[3].ApiKey, postId, 3_000)).GetProperty("bid").GetProperty("id").GetString()!);
        var rowsBefore = await stack.BidsOf(postId);
        var transfers = await stack.AllTransfers();
        stack.Clock.Advance(TimeSpan.FromMinutes(3));

        var late = await stack.PlaceBid(bidders[4].ApiKey, postId, new { priceCents = 2_000, message = "Too late?" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var update = await stack.PatchBid(bidders[0].ApiKey, postId, bidIds[0], new { priceCents = 2_500, message = "Lower" });
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
        Assert.Equal(rowsBefore, await stack.BidsOf(postId));

        var bids = await stack.BidsById(postId);
        Assert.Equal(bidIds.Order(), bids.Keys.Order());
        Assert.All(bids.Values, b => Assert.Equal("EXPIRED", b.State()));
        Assert.Equal(4_500, bids[bidIds[0]].Price()); // the refused update changed nothing
        Assert.Equal(0, bids[bidIds[0]].GetProperty("priceHistory").GetArrayLength());
        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(10_000, await stack.WalletBalance(poster.ApiKey));
        Assert.Equal(0, await stack.EscrowsOfPost(postId));
        foreach (var bidder in bidders.Take(4))
        {
            Assert.Equal(1, await stack.NoticesAbout(bidder.Id, "bid_expired", postId));
            Assert.Equal(1, await stack.EventsOf(postId, bidder.Id, "bid.expired"));
        }
        Assert.Equal(0, await stack.NotificationsOf(bidders[4].Id));

        var after = await stack.GetJobPost(postId);
        Assert.Equal("CLOSED", after.GetProperty("status").GetString());
        Assert.Equal(0, after.GetProperty("acceptedBidsCount").GetInt32());
        Assert.Empty((await stack.ListPosts($"category={category}")).GetProperty("jobPosts").EnumerateArray());
        var closed = (await stack.ListPosts($"category={category}&status=CLOSED")).GetProperty("jobPosts");
        Assert.Equal([postId], closed.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        await stack.AssertLedgerHolds();
    }

    /// <summary>
    /// Nothing calls the post after its deadline: its reminder wakes it. The reminder runs on real
    /// time and the grain sets it at least a minute ahead, so this test waits about a minute.
    /// </summary>
    [Fact]
    public async Task The_post_s_reminder_alone_expires_its_pending_bids_after_the_deadline()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        var category = BidCrowd.UniqueCategory("reminder");
        var post = await stack.OpenJobPost(poster.ApiKey,
            BidCrowd.UniquePost(deadline: stack.Clock.GetUtcNow().AddSeconds(30), category: category));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(2, "reminder");
        await stack.Bid(bidders[0].ApiKey, postId, 4_000);
        await stack.Bid(bidders[1].ApiKey, postId, 3_000);
        stack.Clock.Advance(TimeSpan.FromMinutes(1));

        // Only PostgreSQL is read from here on: no call reaches the post.
        var expired = await stack.CountReaches(2, TimeSpan.FromSeconds(150),
            "SELECT count(*) FROM market_bids WHERE post_id = @id AND status = 'EXPIRED'", ("id", postId));
        Assert.Equal(2, expired);
        Assert.Equal(1, await stack.CountReaches(1, TimeSpan.FromSeconds(10),
            "SELECT count(*) FROM market_job_posts WHERE post_id = @id AND status = 'CLOSED'", ("id", postId)));
        Assert.Equal(1, await stack.NoticesAbout(bidders[0].Id, "bid_expired", postId));
        Assert.Equal(1, await stack.NoticesAbout(bidders[1].Id, "bid_expired", postId));
        Assert.Empty((await stack.ListPosts($"category={category}")).GetProperty("jobPosts").EnumerateArray());

        Assert.All((await stack.BidsById(postId)).Values, b => Assert.Equal("EXPIRED", b.State()));
        Assert.Equal("CLOSED", (await stack.GetJobPost(postId)).GetProperty("status").GetString());
        Assert.Equal(1, await stack.NoticesAbout(bidders[0].Id, "bid_expired", postId)); // the call after the tick expires nothing twice
    }

    [Fact]
    public async Task A_delivered_bid_completes_by_itself_after_the_auto_complete_time_and_pays_the_bidder()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, 5_000);
        var post = await stack.OpenJobPost(poster.ApiKey, BidCrowd.UniquePost(budgetCents: 5_000));
        var postId = post.GetProperty("id").GetString()!;
        var bidder = await stack.RegisterAgent(name: Unique.Name("worker"));
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4_000)).GetProperty("bid").GetProperty("id").GetString()!;
        await stack.ChangeBid(poster.ApiKey, postId, bidId, new { status = "ACCEPTED" });
        await stack.ChangeBid(bidder.ApiKey, postId, bidId, new { status = "DELIVERED", deliveryNote = "Here's the scraper", deliveryUrl = "https://github.com/example/scraper" });
        var platform = await stack.Balance(LedgerAccount.Platform);

        stack.Clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1));
        Assert.Equal("DELIVERED", (await stack.BidsById(postId))[bidId].State());
        Assert.Equal(0, await stack.WalletBalance(bidder.ApiKey));
        stack.Clock.Advance(TimeSpan.FromMinutes(2));

        var bid = (await stack.BidsById(postId))[bidId];
        Assert.Equal("COMPLETED", bid.State());
        Assert.Equal(3_600, await stack.WalletBalance(bidder.ApiKey));
        Assert.Equal(1_000, await stack.WalletBalance(poster.ApiKey));
        Assert.Equal(platform + 400, await stack.Balance(LedgerAccount.Platform));
        // Completed once: a late approval or dispute is refused and moves nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "COMPLETED" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "DISPUTED" })).StatusCode);
        Assert.Equal(3_600, await stack.WalletBalance(bidder.ApiKey));
        await stack.AssertLedgerHolds();
    }
}
