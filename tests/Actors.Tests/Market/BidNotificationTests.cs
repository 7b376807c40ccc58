using System.Text.Json;
using Actors.Tests.Feed;
using Actors.Tests.Infrastructure;
using Actors.Tests.Notifications;
using Actors.Tests.Webhooks;

namespace Actors.Tests.Market;

/// <summary>
/// Bids tell the agents that should hear of them (seed: Notifications): the poster of each new
/// bid and each price change, the bidders a lower bid newly undercuts (once per price of theirs,
/// however many bids undercut it), the bidders whose bids are accepted or rejected; each with
/// the matching signed webhook, and the feed shows the bids and acceptances.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BidNotificationTests(ActorsStack stack)
{
    [Fact]
    public async Task An_undercut_bidder_is_told_once_per_price_of_its_bid_with_the_seed_s_data()
    {
        var (poster, postId, title) = await Post();
        var bidders = await stack.RegisterBidders(4, "outbid");
        var (a, b, c, d) = (bidders[0], bidders[1], bidders[2], bidders[3]);

        var bidA = await stack.Bid(a.ApiKey, postId, 3_000);
        var bidB = await stack.Bid(b.ApiKey, postId, 2_500);
        var bidC = await stack.Bid(c.ApiKey, postId, 2_000);
        var idA = bidA.BidId();
        var idB = bidB.BidId();

        Assert.Equal(0, bidA.GetProperty("outbidCount").GetInt32());
        Assert.Equal(1, bidB.GetProperty("outbidCount").GetInt32());
        Assert.Equal(2, bidC.GetProperty("outbidCount").GetInt32());
        // 3000 was undercut by 2500 and again by 2000: one notice, for the first.
        Assert.Equal(1, await stack.NoticesAbout(a.Id, "outbid", postId));
        Assert.Equal(1, await stack.NoticesAbout(b.Id, "outbid", postId));
        Assert.Equal(0, await stack.NoticesAbout(c.Id, "outbid", postId));
        Assert.Equal(1, await stack.EventsOf(postId, a.Id, "bid.outbid"));
        Assert.Equal(1, await stack.EventsOf(postId, b.Id, "bid.outbid"));

        var notice = Assert.Single((await stack.Inbox(a.ApiKey)).GetProperty("notifications").EnumerateArray());
        Assert.Equal("outbid", notice.GetProperty("type").GetString());
        Assert.Equal($"You've been outbid on \"{title}\"", notice.GetProperty("title").GetString());
        Assert.StartsWith("A new bid of $25.00 has undercut your $30.00 bid", notice.GetProperty("body").GetString());
        Assert.Equal($"/jobs/{postId}", notice.GetProperty("link").GetString());
        Assert.False(notice.GetProperty("read").GetBoolean());
        var data = notice.GetProperty("data");
        Assert.Equal(postId, data.GetProperty("jobPostId").GetString());
        Assert.Equal(idA, data.GetProperty("yourBidId").GetString());
        Assert.Equal(3_000, data.GetProperty("yourPriceCents").GetInt64());
        Assert.Equal(2_500, data.GetProperty("newLowPriceCents").GetInt64());
        Assert.Equal($"/api/agents/jobs/{postId}/bids/{idA}", data.GetProperty("updateUrl").GetString());

        // A new price of A's may be undercut again, and is told again; B kept its price: not told twice.
        var updated = await stack.ChangeBid(a.ApiKey, postId, idA, new { priceCents = 2_800, message = "Updated proposal..." });
        Assert.Equal(0, updated.GetProperty("outbidCount").GetInt32());
        var bidD = await stack.Bid(d.ApiKey, postId, 1_500);
        Assert.Equal(3, bidD.GetProperty("outbidCount").GetInt32());

        Assert.Equal(2, await stack.NoticesAbout(a.Id, "outbid", postId));
        Assert.Equal(1, await stack.NoticesAbout(b.Id, "outbid", postId));
        Assert.Equal(1, await stack.NoticesAbout(c.Id, "outbid", postId));
        Assert.Equal(0, await stack.NoticesAbout(d.Id, "outbid", postId));
        var second = (await stack.Inbox(a.ApiKey)).GetProperty("notifications")[0].GetProperty("data");
        Assert.Equal(2_800, second.GetProperty("yourPriceCents").GetInt64());
        Assert.Equal(1_500, second.GetProperty("newLowPriceCents").GetInt64());
        Assert.Equal(idA, second.GetProperty("yourBidId").GetString());
        Assert.Equal(idB, (await stack.Inbox(b.ApiKey)).GetProperty("notifications")[0].GetProperty("data").GetProperty("yourBidId").GetString());

        // The poster heard of each bid and of the update, and of nothing else.
        Assert.Equal(4, await stack.NoticesAbout(poster.Id, "bid_received", postId));
        Assert.Equal(1, await stack.NoticesAbout(poster.Id, "bid_updated", postId));
        Assert.Equal(0, await stack.NoticesAbout(poster.Id, "outbid", postId));
    }

    [Fact]
    public async Task A_storm_of_lower_bids_tells_each_undercut_bidder_once()
    {
        var (_, postId, _) = await Post();
        var bidders = await stack.RegisterBidders(20, "storm");

        // Each bid lower than every one before it: bid i undercuts all i earlier ones.
        for (var i = 0; i < bidders.Length; i++)
            Assert.Equal(i, (await stack.Bid(bidders[i].ApiKey, postId, 4_000 - 100 * i)).GetProperty("outbidCount").GetInt32());

        for (var i = 0; i < bidders.Length; i++)
            Assert.Equal(i < bidders.Length - 1 ? 1 : 0, await stack.NoticesAbout(bidders[i].Id, "outbid", postId));
        Assert.Equal(bidders.Length - 1, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM notifications WHERE type = 'outbid' AND data->>'jobPostId' = @id", ("id", postId)))!);
    }

    [Fact]
    public async Task Bids_received_accepted_rejected_and_updated_are_told_by_inbox_webhook_and_feed()
    {
        var (poster, postId, title) = await Post(fund: 5_000);
        var bidders = await stack.RegisterBidders(3, "told");
        await using var posterHook = await Receiver(poster);
        var hooks = new List<WebhookReceiver>();
        foreach (var bidder in bidders) hooks.Add(await Receiver(bidder));
        try
        {
            var ids = new List<string>();
            foreach (var (bidder, price) in bidders.Zip([4_000L, 3_500L, 3_000L]))
                ids.Add((await stack.Bid(bidder.ApiKey, postId, price)).BidId());
            // 3500 undercuts 4000, 3000 undercuts 3500 (4000 was told already); 4000 → 3800 undercuts nobody.
            await stack.ChangeBid(bidders[0].ApiKey, postId, ids[0], new { priceCents = 3_800, message = "Updated proposal..." });

            var accepted = await stack.ChangeBid(poster.ApiKey, postId, ids[2], new { status = "ACCEPTED" });

            Assert.Equal(2, accepted.GetProperty("rejectedBids").GetInt32());
            Assert.Equal(["bid_received", "bid_received", "bid_received", "bid_updated"], await stack.NotificationTypesOf(poster.Id));
            Assert.Equal(["bid_rejected", "outbid"], await stack.NotificationTypesOf(bidders[0].Id));
            Assert.Equal(["bid_rejected", "outbid"], await stack.NotificationTypesOf(bidders[1].Id));
            Assert.Equal(["bid_accepted"], await stack.NotificationTypesOf(bidders[2].Id));
            var told = (await stack.Inbox(bidders[2].ApiKey)).GetProperty("notifications")[0];
            Assert.Equal($"/jobs/{postId}", told.GetProperty("link").GetString());
            Assert.Contains(title, told.GetProperty("title").GetString() + told.GetProperty("body").GetString());

            string[] expected =
            [
                .. Enumerable.Repeat($"bid.received>{poster.Id}", 3), $"bid.updated>{poster.Id}",
                $"bid.outbid>{bidders[0].Id}", $"bid.rejected>{bidders[0].Id}", $"bid.outbid>{bidders[1].Id}", $"bid.rejected>{bidders[1].Id}",
                $"bid.accepted>{bidders[2].Id}",
            ];
            var events = await stack.WebhookEventsOfJob(postId);
            // A post's own announcement (job_post.created) may name it too; every bid event is exactly as expected.
            Assert.Equal(expected.Order(StringComparer.Ordinal), events.Where(e => e.StartsWith("bid.", StringComparison.Ordinal)));

            // Each receiver got its agent's events, signed with the secret it was given.
            AssertDelivered(await posterHook.WaitFor(4), postId, ["bid.received", "bid.received", "bid.received", "bid.updated"]);
            AssertDelivered(await hooks[0].WaitFor(2), postId, ["bid.outbid", "bid.rejected"]);
            AssertDelivered(await hooks[1].WaitFor(2), postId, ["bid.outbid", "bid.rejected"]);
            AssertDelivered(await hooks[2].WaitFor(1), postId, ["bid.accepted"]);
            var acceptedEvent = JsonDocument.Parse(hooks[2].Received.Single(r => r.Event == "bid.accepted").Body).RootElement;
            Assert.Equal(bidders[2].Id, acceptedEvent.GetProperty("agentId").GetString());
            Assert.Equal(ids[2], acceptedEvent.GetProperty("data").GetProperty("id").GetString());
            Assert.Equal("ACCEPTED", acceptedEvent.GetProperty("data").GetProperty("status").GetString());
            var outbidEvent = JsonDocument.Parse(hooks[0].Received.Single(r => r.Event == "bid.outbid").Body).RootElement;
            Assert.Equal(ids[0], outbidEvent.GetProperty("data").GetProperty("yourBidId").GetString());

            // The feed: each bid submitted, the acceptance.
            foreach (var bidder in bidders)
            {
                var submitted = (await stack.ReadFeed($"?type=BID_SUBMITTED&agentId={bidder.Id}")).GetProperty("posts");
                var one = Assert.Single(submitted.EnumerateArray());
                Assert.Contains(title, one.GetProperty("content").GetString());
            }
            var acceptances = (long)(await stack.Postgres.Scalar(
                "SELECT count(*) FROM feed_posts WHERE type = 'BID_ACCEPTED' AND agent_id IN (@poster, @bidder) AND content LIKE '%' || @title || '%'",
                ("poster", poster.Id), ("bidder", bidders[2].Id), ("title", title)))!;
            Assert.Equal(1, acceptances);
            var listed = (await stack.ReadFeed("?type=BID_ACCEPTED")).GetProperty("posts").EnumerateArray()
                .Where(p => p.GetProperty("content").GetString()!.Contains(title));
            Assert.Single(listed);
        }
        finally
        {
            foreach (var hook in hooks) await hook.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_refused_bid_or_update_tells_nobody()
    {
        var (poster, postId, _) = await Post();
        var bidder = await stack.RegisterAgent(name: Unique.Name("refused"));
        var bidId = (await stack.Bid(bidder.ApiKey, postId, 3_000)).BidId();
        var notices = await stack.NotificationsOf(poster.Id);

        Assert.False((await stack.PlaceBid(bidder.ApiKey, postId, new { priceCents = 2_000, message = "Again" })).IsSuccessStatusCode);
        Assert.False((await stack.PlaceBid(poster.ApiKey, postId, new { priceCents = 2_000, message = "My own" })).IsSuccessStatusCode);
        Assert.False((await stack.PatchBid(bidder.ApiKey, postId, bidId, new { priceCents = 0 })).IsSuccessStatusCode);

        Assert.Equal(notices, await stack.NotificationsOf(poster.Id));
        Assert.Equal(0, await stack.NotificationsOf(bidder.Id));
        Assert.Equal([$"bid.received>{poster.Id}"], (await stack.WebhookEventsOfJob(postId)).Where(e => e.StartsWith("bid.", StringComparison.Ordinal)));
    }

    async Task<(RegisteredAgent Poster, string PostId, string Title)> Post(long fund = 0)
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        if (fund > 0) await stack.FundWallet(poster.ApiKey, fund);
        var body = BidCrowd.UniquePost(budgetCents: 5_000);
        var post = await stack.OpenJobPost(poster.ApiKey, body);
        return (poster, post.GetProperty("id").GetString()!, (string)body["title"]!);
    }

    async Task<WebhookReceiver> Receiver(RegisteredAgent agent)
    {
        var receiver = await WebhookReceiver.Start();
        using var client = stack.AsAgent(agent.ApiKey);
        await client.RegisterWebhook(receiver);
        return receiver;
    }

    static void AssertDelivered(IReadOnlyList<ReceivedWebhook> received, string postId, string[] events)
    {
        Assert.Equal(events.Order(StringComparer.Ordinal), received.Select(r => r.Event).Order(StringComparer.Ordinal));
        Assert.All(received, r =>
        {
            Assert.NotEmpty(r.VerifiedWith);
            Assert.Equal(postId, JsonDocument.Parse(r.Body).RootElement.GetProperty("jobId").GetString());
        });
    }

    }
