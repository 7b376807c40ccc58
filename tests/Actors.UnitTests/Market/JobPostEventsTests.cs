using System.Text.Json;
using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>What a bid's steps tell whom, in the seed's words and types, under which ids.</summary>
public sealed class JobPostEventsTests
{
    static readonly DateTimeOffset Now = new(2026, 2, 5, 0, 0, 0, TimeSpan.Zero);

    static JobPostState Post() => new() { PosterId = "agt_poster", PosterName = "MyAgent", Title = "Research Task", BudgetCents = 5_000 };

    static BidEntry Bid(long price = 1_500) => new()
    {
        Id = "bid_1", BidderId = "agt_bidder", BidderName = "FastBot", Seq = 1, CreatedAt = Now, PriceCents = price, PriceSetAt = Now, UpdatedAt = Now,
    };

    static JsonElement Json(object data) => JsonSerializer.SerializeToElement(data, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public void The_outbid_notice_is_the_seed_s()
    {
        var write = new JobPostWrite();

        JobPostEvents.TellOutbid(write, "jp_1", Post(), Bid(1_500), newLowPriceCents: 500);

        var notice = Assert.Single(write.Notifications);
        Assert.Equal(("agt_bidder", "outbid", "/jobs/jp_1"), (notice.AgentId, notice.Type, notice.Link));
        Assert.Equal("You've been outbid on \"Research Task\"", notice.Title);
        Assert.StartsWith("A new bid of $5.00 has undercut your $15.00 bid", notice.Body);
        var data = Json(notice.Data!);
        Assert.Equal("jp_1", data.GetProperty("jobPostId").GetString());
        Assert.Equal("bid_1", data.GetProperty("yourBidId").GetString());
        Assert.Equal(1_500, data.GetProperty("yourPriceCents").GetInt64());
        Assert.Equal(500, data.GetProperty("newLowPriceCents").GetInt64());
        Assert.Equal("/api/agents/jobs/jp_1/bids/bid_1", data.GetProperty("updateUrl").GetString());
        var webhook = Assert.Single(write.Webhooks);
        Assert.Equal(("agt_bidder", "bid.outbid", "jp_1"), (webhook.AgentId, webhook.Event, webhook.JobId));
    }

    [Fact]
    public void One_price_is_told_once_a_new_price_again()
    {
        var bid = Bid(1_500);
        var first = new JobPostWrite();
        var again = new JobPostWrite();
        var repriced = new JobPostWrite();

        JobPostEvents.TellOutbid(first, "jp_1", Post(), bid, 500);
        JobPostEvents.TellOutbid(again, "jp_1", Post(), bid, 400);
        bid.PriceCents = 1_200;
        bid.PriceSetAt = Now.AddMinutes(1);
        JobPostEvents.TellOutbid(repriced, "jp_1", Post(), bid, 400);

        Assert.Equal(first.Notifications[0].Id, again.Notifications[0].Id);
        Assert.Equal(first.Webhooks[0].EventId, again.Webhooks[0].EventId);
        Assert.NotEqual(first.Notifications[0].Id, repriced.Notifications[0].Id);
    }

    [Fact]
    public void Each_step_goes_to_the_party_it_concerns_under_the_seed_s_types()
    {
        var write = new JobPostWrite();
        var bid = Bid();

        JobPostEvents.TellReceived(write, "jp_1", Post(), bid, "I'll do it", JobPostEvents.Instant.No);
        JobPostEvents.TellAccepted(write, "jp_1", Post(), bid);
        JobPostEvents.TellRejected(write, "jp_1", Post(), bid, closed: true);
        JobPostEvents.TellUpdated(write, "jp_1", Post(), bid, 2_000, null);
        JobPostEvents.TellWithdrawn(write, "jp_1", Post(), bid);
        JobPostEvents.TellDelivered(write, "jp_1", Post(), bid, "done", null);
        JobPostEvents.TellCompleted(write, "jp_1", Post(), bid);
        JobPostEvents.TellDisputed(write, "jp_1", Post(), bid);
        JobPostEvents.TellExpired(write, "jp_1", Post(), bid);

        Assert.Equal(
        [
            ("agt_poster", "bid_received"), ("agt_bidder", "bid_accepted"), ("agt_bidder", "bid_rejected"), ("agt_poster", "bid_updated"),
            ("agt_poster", "bid_withdrawn"), ("agt_poster", "bid_delivered"), ("agt_bidder", "bid_completed"), ("agt_bidder", "bid_disputed"),
            ("agt_bidder", "bid_expired"),
        ], write.Notifications.Select(n => (n.AgentId, n.Type)));
        Assert.Equal(write.Notifications.Select(n => n.Type.Replace('_', '.')), write.Webhooks.Select(w => w.Event));
        Assert.All(write.Webhooks, w => Assert.Equal("jp_1", w.JobId));
        Assert.Equal(write.Notifications.Count, write.Notifications.Select(n => n.Id).Distinct().Count());
        Assert.Contains("$20.00 to $15.00", write.Notifications[3].Body);
    }

    [Fact]
    public void A_resolution_tells_both_parties()
    {
        var write = new JobPostWrite();
        var bid = Bid();
        bid.Resolution = JobOutcomes.Split;

        JobPostEvents.TellCompleted(write, "jp_1", Post(), bid);
        JobPostEvents.TellCancelled(write, "jp_1", Post(), bid);

        Assert.Equal([("agt_bidder", "bid_completed"), ("agt_poster", "bid_completed"), ("agt_bidder", "bid_cancelled"), ("agt_poster", "bid_cancelled")],
            write.Notifications.Select(n => (n.AgentId, n.Type)));
        Assert.Equal(4, write.Webhooks.Select(w => w.EventId).Distinct().Count());
    }

    [Fact]
    public void The_announcement_goes_to_each_agent_once_under_the_post_s_and_agent_s_id()
    {
        var write = new JobPostWrite();
        var post = new JobPostView("jp_1", "Build me a web scraper", "I need…", "development", ["python"], 5_000, null, null, false, 1,
            "OPEN", "standard", "agt_poster", "MyAgent", null, 4.8, 0, 0, Now, Now, null);

        JobPostEvents.Announced(write, post, ["agt_a", "agt_b"]);

        Assert.Equal(["ntf_jp_1_created_agt_a", "ntf_jp_1_created_agt_b"], write.Notifications.Select(n => n.Id));
        Assert.All(write.Notifications, n => Assert.Equal("system", n.Type));
        Assert.Equal(["msg_jp_1_created_agt_a", "msg_jp_1_created_agt_b"], write.Webhooks.Select(w => w.EventId));
        Assert.All(write.Webhooks, w => Assert.Equal("job_post.created", w.Event));
    }
}
