using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// A bid's way through a post (seed: Bidding System): placed and ranked, updated with its history
/// kept, withdrawn, rejected, accepted (closing a single-bid post), and every PATCH that the wrong
/// party or the wrong status makes refused with nothing written.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BidLifecycleTests(ActorsStack stack)
{
    [Fact]
    public async Task A_bid_is_answered_with_its_rank_among_the_live_bids_as_the_seed_shows_it()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidders = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => stack.RegisterAgent(name: Unique.Name("ScraperBot"))));
        await stack.Bid(bidders[0].ApiKey, postId, 5000);
        var lowest = await stack.Bid(bidders[1].ApiKey, postId, 3000);
        await stack.Bid(bidders[2].ApiKey, postId, 4800);
        var gone = await stack.Bid(bidders[3].ApiKey, postId, 1000);
        await stack.ChangeBid(bidders[3].ApiKey, postId, gone.BidId(), new { status = "WITHDRAWN" });

        var placed = await stack.Bid(bidders[4].ApiKey, postId, 4500, "I can build this scraper in 2 days using Playwright...");

        var bid = placed.GetProperty("bid");
        Assert.StartsWith("bid_", bid.Id());
        Assert.Equal(4500, bid.GetProperty("priceCents").GetInt64());
        Assert.Equal("I can build this scraper in 2 days using Playwright...", bid.GetProperty("message").GetString());
        Assert.Equal("PENDING", bid.GetProperty("status").GetString());
        Assert.Equal(bidders[4].Id, bid.GetProperty("bidder").Id());
        Assert.Equal(bidders[4].Name, bid.GetProperty("bidder").GetProperty("name").GetString());
        Assert.Equal(postId, bid.GetProperty("jobPostId").GetString());
        Assert.Equal(4, placed.GetProperty("totalBids").GetInt32());
        Assert.Equal(2, placed.GetProperty("outbidCount").GetInt32()); // 5000 and 4800
        var context = placed.GetProperty("competitiveContext");
        Assert.Equal(2, context.GetProperty("yourRank").GetInt32());
        Assert.Equal(4, context.GetProperty("totalBids").GetInt32());
        Assert.Equal(3000, context.GetProperty("lowestBidCents").GetInt64());
        Assert.False(context.GetProperty("isLowest").GetBoolean());
        Assert.Equal("Your bid is ranked #2 of 4. The current lowest bid is $30.00.", context.GetProperty("message").GetString());
        Assert.Equal("Your bid is the lowest of 2.", lowest.GetProperty("competitiveContext").GetProperty("message").GetString());

        var list = await stack.ListBids(postId);
        Assert.Equal([1000, 3000, 4500, 4800, 5000], list.GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("priceCents").GetInt64()));
        Assert.Equal(3000, list.GetProperty("lowestBid").GetInt64());
        Assert.Equal(4, list.GetProperty("totalBids").GetInt32());
        Assert.Equal("WITHDRAWN", list.GetProperty("bids")[0].GetProperty("status").GetString());
        Assert.Equal("4 OPEN", await stack.Postgres.Scalar("SELECT bid_count || ' ' || status FROM market_job_posts WHERE post_id = @id", ("id", postId)));
        // The poster hears of each bid.
        Assert.Equal(5, (await stack.NoticesOf(poster.Id, "bid_received")).Count);
    }

    [Fact]
    public async Task Equal_prices_rank_the_earlier_bid_first()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var first = await stack.RegisterAgent();
        var second = await stack.RegisterAgent();
        await stack.Bid(first.ApiKey, postId, 3000);

        var later = await stack.Bid(second.ApiKey, postId, 3000);

        Assert.Equal(2, later.GetProperty("competitiveContext").GetProperty("yourRank").GetInt32());
        Assert.Equal(0, later.GetProperty("outbidCount").GetInt32());
        Assert.Equal([first.Id, second.Id], (await stack.ListBids(postId)).GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("bidder").Id()));
    }

    [Fact]
    public async Task Refused_bids_write_nothing()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent();
        var first = await stack.Bid(bidder.ApiKey, postId, 4000);
        var rows = await stack.BidRows(postId);
        var postRow = await stack.PostRow(postId);
        var notices = (await stack.NoticesOf(poster.Id, "bid_received")).Count;

        var again = await stack.PlaceBid(bidder.ApiKey, postId, new { priceCents = 3500, message = "again" });
        var own = await stack.PlaceBid(poster.ApiKey, postId, new { priceCents = 3500, message = "mine" });
        var free = await stack.PlaceBid((await stack.RegisterAgent()).ApiKey, postId, new { priceCents = 0, message = "free" });
        var huge = await stack.PlaceBid((await stack.RegisterAgent()).ApiKey, postId, new { priceCents = 100_000_001, message = "x" });
        var noPrice = await stack.PlaceBid((await stack.RegisterAgent()).ApiKey, postId, new { message = "x" });
        var nowhere = await stack.PlaceBid(bidder.ApiKey, "jp_nosuchpost000000000000000", new { priceCents = 3500, message = "x" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(first.BidId(), (await again.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, free.StatusCode);
        Assert.Contains("priceCents", (await free.ReadJson()).ToString());
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noPrice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nowhere.StatusCode);
        Assert.Equal(rows, await stack.BidRows(postId));
        Assert.Equal(postRow, await stack.PostRow(postId));
        Assert.Equal(notices, (await stack.NoticesOf(poster.Id, "bid_received")).Count);
        Assert.Equal(0, await stack.BidsOf("jp_nosuchpost000000000000000"));
    }

    [Fact]
    public async Task A_price_update_keeps_the_earlier_price_in_the_history_and_tells_the_poster()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent(name: Unique.Name("FastBot"));
        var rival = await stack.RegisterAgent();
        await stack.Bid(rival.ApiKey, postId, 2800);
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 5000, "I'll do it for $50")).BidId();
        stack.Clock.Advance(TimeSpan.FromMinutes(5));

        var changed = await stack.ChangeBid(bidder.ApiKey, postId, bidId, new { priceCents = 3000, message = "I'll do it for $30..." });
        var again = await stack.ChangeBid(bidder.ApiKey, postId, bidId, new { priceCents = 2500 });

        Assert.Equal(3000, changed.GetProperty("bid").GetProperty("priceCents").GetInt64());
        Assert.Equal("I'll do it for $30...", changed.GetProperty("bid").GetProperty("message").GetString());
        Assert.Equal("OPEN", changed.GetProperty("jobPost").GetProperty("status").GetString());
        Assert.Equal(0, changed.GetProperty("outbidCount").GetInt32());
        Assert.Equal(1, again.GetProperty("outbidCount").GetInt32()); // the rival's 2800, at or below 3000
        var bid = (await stack.ListBids(postId)).GetProperty("bids")[0];
        Assert.Equal(bidId, bid.Id());
        Assert.Equal(2500, bid.GetProperty("priceCents").GetInt64());
        Assert.Equal("I'll do it for $30...", bid.GetProperty("message").GetString());
        var history = bid.GetProperty("priceHistory").EnumerateArray().ToList();
        Assert.Equal([5000, 3000], history.Select(h => h.GetProperty("priceCents").GetInt64()));
        Assert.True(history[1].GetProperty("at").GetDateTimeOffset() > history[0].GetProperty("at").GetDateTimeOffset());
        Assert.True(bid.GetProperty("updatedAt").GetDateTimeOffset() > bid.GetProperty("createdAt").GetDateTimeOffset());
        var updates = await stack.NoticesOf(poster.Id, "bid_updated");
        Assert.Equal(2, updates.Count);
        Assert.Contains("$50.00 to $30.00", updates[0].Body);
        Assert.Equal(2, await stack.EventsOf(postId, poster.Id, "bid.updated"));
    }

    [Fact]
    public async Task A_withdrawn_bid_no_longer_counts_and_its_bidder_may_bid_again()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4000)).BidId();

        var withdrawn = await stack.ChangeBid(bidder.ApiKey, postId, bidId, new { status = "WITHDRAWN" });
        var again = await stack.Bid(bidder.ApiKey, postId, 3900);

        Assert.Equal("WITHDRAWN", withdrawn.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal(1, again.GetProperty("totalBids").GetInt32());
        Assert.Single(await stack.NoticesOf(poster.Id, "bid_withdrawn"));
        var list = await stack.ListBids(postId);
        Assert.Equal(2, list.GetProperty("bids").GetArrayLength());
        Assert.Equal(1, list.GetProperty("totalBids").GetInt32());
        Assert.Equal(3900, list.GetProperty("lowestBid").GetInt64());
    }

    [Fact]
    public async Task The_poster_rejects_a_bid_and_its_bidder_is_told()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4000)).BidId();

        var rejected = await stack.ChangeBid(poster.ApiKey, postId, bidId, new { status = "REJECTED" });

        Assert.Equal("REJECTED", rejected.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal("OPEN", rejected.GetProperty("jobPost").GetProperty("status").GetString());
        var notice = Assert.Single(await stack.NoticesOf(bidder.Id, "bid_rejected"));
        Assert.Contains("Build me a web scraper", notice.Title);
        Assert.Equal(1, await stack.EventsOf(postId, bidder.Id, "bid.rejected"));
        // One bid per agent per post: a rejected one still counts.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PlaceBid(bidder.ApiKey, postId, new { priceCents = 3000, message = "again" })).StatusCode);
    }

    [Fact]
    public async Task Accepting_a_bid_on_a_single_bid_post_closes_it_and_rejects_the_other_pending_bids()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 5_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidders = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => stack.RegisterAgent()));
        var bids = new List<string>();
        foreach (var (bidder, price) in bidders.Zip(new long[] { 4000, 2500, 3500, 4500 }))
            bids.Add((await stack.Bid(bidder.ApiKey, postId, price)).BidId());

        var accepted = await stack.ChangeBid(poster.ApiKey, postId, bids[1], new { status = "ACCEPTED" });

        Assert.Equal("ACCEPTED", accepted.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal(2500, accepted.GetProperty("bid").GetProperty("priceCents").GetInt64());
        Assert.Equal(bidders[1].Id, accepted.GetProperty("bid").GetProperty("bidder").Id());
        var post = accepted.GetProperty("jobPost");
        Assert.Equal(postId, post.Id());
        Assert.Equal("CLOSED", post.GetProperty("status").GetString());
        Assert.Equal(1, post.GetProperty("acceptedBidsCount").GetInt32());
        Assert.False(post.TryGetProperty("maxAcceptedBids", out _));
        Assert.Equal(3, accepted.GetProperty("rejectedBids").GetInt32());
        var statuses = (await stack.ListBids(postId)).GetProperty("bids").EnumerateArray().ToDictionary(b => b.Id(), b => b.GetProperty("status").GetString());
        Assert.Equal(["REJECTED", "ACCEPTED", "REJECTED", "REJECTED"], bids.Select(b => statuses[b]));
        Assert.Single(await stack.NoticesOf(bidders[1].Id, "bid_accepted"));
        foreach (var i in new[] { 0, 2, 3 }) Assert.Single(await stack.NoticesOf(bidders[i].Id, "bid_rejected"));
        Assert.Equal("CLOSED 1 1", (await stack.PostRow(postId))![..10]);

        var late = await stack.PlaceBid((await stack.RegisterAgent()).ApiKey, postId, new { priceCents = 1000, message = "late" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("closed", (await late.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(4, await stack.BidsOf(postId));
        var shown = await stack.GetJobPost(postId);
        Assert.Equal("CLOSED", shown.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_multi_bid_post_accepts_on_arrival_until_its_maximum_then_closes()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 10_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(instantAcceptCents: 3000, multiBid: true, maxAcceptedBids: 2))).Id();
        var bidders = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => stack.RegisterAgent()));
        var pending = await stack.Bid(bidders[0].ApiKey, postId, 4000);

        var first = await stack.Bid(bidders[1].ApiKey, postId, 2500);
        var second = await stack.Bid(bidders[2].ApiKey, postId, 3000);
        var late = await stack.PlaceBid(bidders[3].ApiKey, postId, new { priceCents = 2000, message = "late" });

        Assert.Equal("PENDING", pending.Status());
        Assert.Equal("ACCEPTED", first.Status());
        Assert.Equal("OPEN", first.GetProperty("jobPost").GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("jobPost").GetProperty("acceptedBidsCount").GetInt32());
        Assert.Equal(2, first.GetProperty("jobPost").GetProperty("maxAcceptedBids").GetInt32());
        Assert.Equal(0, first.GetProperty("rejectedBids").GetInt32());
        Assert.Equal("ACCEPTED", second.Status());
        Assert.Equal("CLOSED", second.GetProperty("jobPost").GetProperty("status").GetString());
        Assert.Equal(1, second.GetProperty("rejectedBids").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var statuses = (await stack.ListBids(postId)).GetProperty("bids").EnumerateArray().ToDictionary(b => b.Id(), b => b.GetProperty("status").GetString());
        Assert.Equal("REJECTED", statuses[pending.BidId()]);
        Assert.Equal(3, statuses.Count);
        Assert.Equal(10_000 - 2500 - 3000, await stack.WalletBalance(poster.ApiKey));
        var received = await stack.NoticesOf(poster.Id, "bid_received");
        Assert.Equal(3, received.Count);
        Assert.Contains("accepted", received[1].Body);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Only_the_bidder_changes_its_bid_and_only_the_poster_decides_it()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 5_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4000)).BidId();
        var rows = await stack.BidRows(postId);

        var answers = new[]
        {
            await stack.PatchBid(stranger.ApiKey, postId, bidId, new { priceCents = 100 }),
            await stack.PatchBid(stranger.ApiKey, postId, bidId, new { status = "WITHDRAWN" }),
            await stack.PatchBid(stranger.ApiKey, postId, bidId, new { status = "ACCEPTED" }),
            await stack.PatchBid(poster.ApiKey, postId, bidId, new { priceCents = 100 }),
            await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "WITHDRAWN" }),
            await stack.PatchBid(bidder.ApiKey, postId, bidId, new { status = "ACCEPTED" }),
            await stack.PatchBid(bidder.ApiKey, postId, bidId, new { status = "REJECTED" }),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
        Assert.Equal(rows, await stack.BidRows(postId));
        Assert.Equal(5_000, await stack.WalletBalance(poster.ApiKey));
        Assert.Equal(HttpStatusCode.NotFound, (await stack.PatchBid(bidder.ApiKey, postId, "bid_nosuchbid00000000000000", new { priceCents = 100 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.PatchBid(bidder.ApiKey, "jp_nosuchpost000000000000000", bidId, new { priceCents = 100 })).StatusCode);
    }

    [Fact]
    public async Task A_change_from_the_wrong_status_is_a_conflict_that_names_it()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 5_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(multiBid: true))).Id();
        var bidder = await stack.RegisterAgent();
        var withdrawer = await stack.RegisterAgent();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4000)).BidId();
        var withdrawnId = (await stack.Bid(withdrawer.ApiKey, postId, 4200)).BidId();
        await stack.ChangeBid(withdrawer.ApiKey, postId, withdrawnId, new { status = "WITHDRAWN" });

        var deliverPending = await stack.PatchBid(bidder.ApiKey, postId, bidId, new { status = "DELIVERED", deliveryNote = "done" });
        var completePending = await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "COMPLETED" });
        var disputePending = await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "DISPUTED" });
        var acceptWithdrawn = await stack.PatchBid(poster.ApiKey, postId, withdrawnId, new { status = "ACCEPTED" });
        var repriceWithdrawn = await stack.PatchBid(withdrawer.ApiKey, postId, withdrawnId, new { priceCents = 100 });
        await stack.ChangeBid(poster.ApiKey, postId, bidId, new { status = "ACCEPTED" });
        var rows = await stack.BidRows(postId);
        var withdrawAccepted = await stack.PatchBid(bidder.ApiKey, postId, bidId, new { status = "WITHDRAWN" });
        var repriceAccepted = await stack.PatchBid(bidder.ApiKey, postId, bidId, new { priceCents = 3000 });
        var completeAccepted = await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "COMPLETED" });
        var acceptAgain = await stack.PatchBid(poster.ApiKey, postId, bidId, new { status = "ACCEPTED" });

        foreach (var (answer, status) in new[]
        {
            (deliverPending, "PENDING"), (completePending, "PENDING"), (disputePending, "PENDING"), (acceptWithdrawn, "WITHDRAWN"),
            (repriceWithdrawn, "WITHDRAWN"), (withdrawAccepted, "ACCEPTED"), (repriceAccepted, "ACCEPTED"), (completeAccepted, "ACCEPTED"),
            (acceptAgain, "ACCEPTED"),
        })
        {
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.Contains(status, (await answer.ReadJson()).GetProperty("error").GetString());
        }
        Assert.Equal(rows, await stack.BidRows(postId));
        Assert.Equal(1_000, await stack.WalletBalance(poster.ApiKey)); // one escrow, once
    }

    [Fact]
    public async Task A_patch_with_bad_fields_is_a_400_naming_the_field_and_changes_nothing()
    {
        var poster = await stack.RegisterAgent();
        var postId = (await stack.OpenJobPost(poster.ApiKey)).Id();
        var bidder = await stack.RegisterAgent();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 4000)).BidId();
        var rows = await stack.BidRows(postId);

        foreach (var (body, field) in new (object, string)[]
        {
            (new { priceCents = 2500, status = "WITHDRAWN" }, "status"),
            (new { status = "PENDING" }, "status"),
            (new { status = "EXPIRED" }, "status"),
            (new { priceCents = 0 }, "priceCents"),
            (new { priceCents = -5 }, "priceCents"),
            (new { message = new string('m', 5_001) }, "message"),
            (new { }, "priceCents"),
        })
        {
            var answer = await stack.PatchBid(bidder.ApiKey, postId, bidId, body);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains(field, (await answer.ReadJson()).ToString());
        }
        Assert.Equal(rows, await stack.BidRows(postId));
    }
}
