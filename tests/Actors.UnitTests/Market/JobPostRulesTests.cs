using Actors.Grains.Market;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Market;

/// <summary>A post's and a bid's fields, the ranking and its sentence, the outbid set, instant accept, and who may change a bid when.</summary>
public sealed class JobPostRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    static NewJobPost Post(string? title = "Build me a web scraper", string? description = "I need a Python web scraper that...",
        string? category = "development", IReadOnlyList<string>? tags = null, long? budget = 5000, DateTimeOffset? deadline = null,
        long? instant = null, bool? multiBid = null, int? max = null) =>
        new("agt_poster", title, description, category, tags ?? ["python", "scraping"], budget, deadline, instant, multiBid, max);

    static string? FieldOf(Problem? problem)
    {
        Assert.NotNull(problem);
        Assert.Equal(ProblemKind.Invalid, problem.Kind);
        return problem.Field;
    }

    [Fact]
    public void The_seed_s_post_is_valid()
    {
        Assert.Null(JobPostRules.CheckNewPost(Post(deadline: Now.AddDays(14), instant: 3000, multiBid: true, max: 3), Now));
        Assert.Null(JobPostRules.CheckNewPost(Post(), Now));
    }

    [Theory]
    [InlineData(null, "title")]
    [InlineData("  ", "title")]
    public void A_post_needs_a_title(string? title, string field) => Assert.Equal(field, FieldOf(JobPostRules.CheckNewPost(Post(title: title), Now)));

    [Fact]
    public void Texts_are_bounded()
    {
        Assert.Null(JobPostRules.CheckNewPost(Post(title: new string('t', 200)), Now));
        Assert.Equal("title", FieldOf(JobPostRules.CheckNewPost(Post(title: new string('t', 201)), Now)));
        Assert.Null(JobPostRules.CheckNewPost(Post(description: new string('d', 10_000)), Now));
        Assert.Equal("description", FieldOf(JobPostRules.CheckNewPost(Post(description: new string('d', 10_001)), Now)));
        Assert.Equal("description", FieldOf(JobPostRules.CheckNewPost(Post(description: ""), Now)));
        Assert.Null(JobPostRules.CheckNewPost(Post(category: new string('c', 64)), Now));
        Assert.Equal("category", FieldOf(JobPostRules.CheckNewPost(Post(category: new string('c', 65)), Now)));
        Assert.Equal("category", FieldOf(JobPostRules.CheckNewPost(Post(category: null), Now)));
    }

    [Fact]
    public void Tags_are_at_most_ten_of_at_most_32_characters_lower_cased_and_distinct()
    {
        Assert.Null(JobPostRules.CheckNewPost(Post(tags: [.. Enumerable.Range(0, 10).Select(i => $"t{i}")]), Now));
        Assert.Equal("tags", FieldOf(JobPostRules.CheckNewPost(Post(tags: [.. Enumerable.Range(0, 11).Select(i => $"t{i}")]), Now)));
        Assert.Null(JobPostRules.CheckNewPost(Post(tags: [new string('x', 32)]), Now));
        Assert.Equal("tags", FieldOf(JobPostRules.CheckNewPost(Post(tags: [new string('x', 33)]), Now)));
        Assert.Equal("tags", FieldOf(JobPostRules.CheckNewPost(Post(tags: [" "]), Now)));
        Assert.Equal(["python", "scraping"], JobPostRules.Tags([" Python", "python", "SCRAPING "]));
        Assert.Equal("development", JobPostRules.Category("  Development "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(100_000_001L)]
    public void The_budget_is_1_cent_to_a_million_dollars(long? budget) =>
        Assert.Equal("budgetCents", FieldOf(JobPostRules.CheckNewPost(Post(budget: budget), Now)));

    [Fact]
    public void The_instant_accept_price_is_1_cent_to_the_budget()
    {
        Assert.Null(JobPostRules.CheckNewPost(Post(instant: 5000), Now));
        Assert.Null(JobPostRules.CheckNewPost(Post(instant: 1), Now));
        Assert.Equal("instantAcceptCents", FieldOf(JobPostRules.CheckNewPost(Post(instant: 5001), Now)));
        Assert.Equal("instantAcceptCents", FieldOf(JobPostRules.CheckNewPost(Post(instant: 0), Now)));
    }

    [Fact]
    public void A_maximum_of_accepted_bids_is_1_to_50_and_only_in_multi_bid_mode()
    {
        Assert.Null(JobPostRules.CheckNewPost(Post(multiBid: true, max: 50), Now));
        Assert.Null(JobPostRules.CheckNewPost(Post(multiBid: true, max: 1), Now));
        Assert.Equal("maxAcceptedBids", FieldOf(JobPostRules.CheckNewPost(Post(multiBid: true, max: 51), Now)));
        Assert.Equal("maxAcceptedBids", FieldOf(JobPostRules.CheckNewPost(Post(multiBid: true, max: 0), Now)));
        Assert.Equal("maxAcceptedBids", FieldOf(JobPostRules.CheckNewPost(Post(max: 3), Now)));
        Assert.Equal("maxAcceptedBids", FieldOf(JobPostRules.CheckNewPost(Post(multiBid: false, max: 3), Now)));
        Assert.Equal(1, JobPostRules.MaxAccepted(null, null));
        Assert.Equal(1, JobPostRules.MaxAccepted(false, null));
        Assert.Equal(50, JobPostRules.MaxAccepted(true, null));
        Assert.Equal(3, JobPostRules.MaxAccepted(true, 3));
    }

    [Fact]
    public void The_deadline_is_in_the_future_and_at_most_a_year_ahead()
    {
        Assert.Equal("deadline", FieldOf(JobPostRules.CheckNewPost(Post(deadline: Now), Now)));
        Assert.Equal("deadline", FieldOf(JobPostRules.CheckNewPost(Post(deadline: Now.AddSeconds(-1)), Now)));
        Assert.Null(JobPostRules.CheckNewPost(Post(deadline: Now.AddSeconds(1)), Now));
        Assert.Null(JobPostRules.CheckNewPost(Post(deadline: Now.AddDays(365)), Now));
        Assert.Equal("deadline", FieldOf(JobPostRules.CheckNewPost(Post(deadline: Now.AddDays(365).AddSeconds(1)), Now)));
    }

    [Fact]
    public void A_bid_is_priced_1_cent_to_a_million_dollars_with_a_message_of_at_most_5000_characters()
    {
        Assert.Null(JobPostRules.CheckBid(1, null));
        Assert.Null(JobPostRules.CheckBid(100_000_000, new string('m', 5_000)));
        Assert.Equal("priceCents", FieldOf(JobPostRules.CheckBid(null, "x")));
        Assert.Equal("priceCents", FieldOf(JobPostRules.CheckBid(0, "x")));
        Assert.Equal("priceCents", FieldOf(JobPostRules.CheckBid(100_000_001, "x")));
        Assert.Equal("message", FieldOf(JobPostRules.CheckBid(100, new string('m', 5_001))));
    }

    [Fact]
    public void A_change_is_a_price_and_message_or_a_status_never_both()
    {
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", PriceCents: 2500, Message: "Updated proposal...")));
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", Message: "only the text")));
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Withdrawn)));
        Assert.Equal("status", FieldOf(JobPostRules.CheckChange(new BidChange("a", PriceCents: 2500, Status: BidStatus.Withdrawn))));
        Assert.Equal("priceCents", FieldOf(JobPostRules.CheckChange(new BidChange("a"))));
        Assert.Equal("priceCents", FieldOf(JobPostRules.CheckChange(new BidChange("a", PriceCents: 0))));
        Assert.Equal("message", FieldOf(JobPostRules.CheckChange(new BidChange("a", Message: new string('m', 5_001)))));
        foreach (var status in new[] { BidStatus.Pending, BidStatus.Expired, BidStatus.Cancelled, "SOLD" })
            Assert.Equal("status", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: status))));
    }

    [Fact]
    public void A_delivery_carries_a_note_or_an_http_url()
    {
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryNote: "Here's the scraper", DeliveryUrl: "https://github.com/x")));
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryNote: "Here's the scraper")));
        Assert.Null(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryUrl: "http://example.com/x")));
        Assert.Equal("deliveryNote", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered))));
        Assert.Equal("deliveryNote", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryNote: new string('n', 10_001)))));
        Assert.Equal("deliveryUrl", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryUrl: "ftp://example.com/x"))));
        Assert.Equal("deliveryUrl", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryUrl: "not a url"))));
        Assert.Equal("deliveryUrl", FieldOf(JobPostRules.CheckChange(new BidChange("a", Status: BidStatus.Delivered, DeliveryUrl: "https://x.com/" + new string('p', 2_048)))));
    }

    [Theory]
    [InlineData(null, JobPostRules.Bidder, BidStatus.Pending)]
    [InlineData(BidStatus.Withdrawn, JobPostRules.Bidder, BidStatus.Pending)]
    [InlineData(BidStatus.Delivered, JobPostRules.Bidder, BidStatus.Accepted)]
    [InlineData(BidStatus.Accepted, JobPostRules.Poster, BidStatus.Pending)]
    [InlineData(BidStatus.Rejected, JobPostRules.Poster, BidStatus.Pending)]
    [InlineData(BidStatus.Completed, JobPostRules.Poster, BidStatus.Delivered)]
    [InlineData(BidStatus.Disputed, JobPostRules.Poster, BidStatus.Accepted)]
    [InlineData(BidStatus.Disputed, JobPostRules.Poster, BidStatus.Delivered)]
    public void Each_change_has_one_party_and_its_starting_statuses(string? status, string role, string from)
    {
        var change = new BidChange("a", PriceCents: status is null ? 100 : null, Status: status);
        Assert.Null(JobPostRules.Allowed(change, role, from, postOpen: true));
        var other = role == JobPostRules.Poster ? JobPostRules.Bidder : JobPostRules.Poster;
        Assert.Equal(ProblemKind.Forbidden, JobPostRules.Allowed(change, other, from, postOpen: true)!.Kind);
        Assert.Equal(ProblemKind.Forbidden, JobPostRules.Allowed(change, null, from, postOpen: true)!.Kind);
        foreach (var wrong in BidStatus.All.Except(JobPostRules.From(status)))
        {
            var conflict = JobPostRules.Allowed(change, role, wrong, postOpen: true);
            Assert.Equal(ProblemKind.Conflict, conflict!.Kind);
            Assert.Contains(wrong, conflict.Message);
        }
    }

    [Fact]
    public void A_closed_post_takes_no_price_update_and_no_acceptance_but_its_accepted_bids_go_on()
    {
        Assert.Equal(ProblemKind.Conflict, JobPostRules.Allowed(new BidChange("a", PriceCents: 100), JobPostRules.Bidder, BidStatus.Pending, postOpen: false)!.Kind);
        Assert.Equal(ProblemKind.Conflict, JobPostRules.Allowed(new BidChange("a", Status: BidStatus.Accepted), JobPostRules.Poster, BidStatus.Pending, postOpen: false)!.Kind);
        Assert.Null(JobPostRules.Allowed(new BidChange("a", Status: BidStatus.Delivered, DeliveryNote: "x"), JobPostRules.Bidder, BidStatus.Accepted, postOpen: false));
        Assert.Null(JobPostRules.Allowed(new BidChange("a", Status: BidStatus.Completed), JobPostRules.Poster, BidStatus.Delivered, postOpen: false));
    }

    static int _seq;

    static BidEntry Bid(long price, string status = BidStatus.Pending, string? bidder = null) => new()
    {
        Id = "bid_" + Interlocked.Increment(ref _seq),
        BidderId = bidder ?? "agt_" + _seq,
        BidderName = "Bot",
        Seq = _seq,
        CreatedAt = Now,
        PriceCents = price,
        Status = status,
    };

    [Fact]
    public void Rank_counts_the_live_bids_priced_lower_and_the_earlier_ones_at_the_same_price()
    {
        var first30 = Bid(3000);
        var withdrawn = Bid(1000, BidStatus.Withdrawn);
        var rejected = Bid(1000, BidStatus.Rejected);
        var expired = Bid(1000, BidStatus.Expired);
        var accepted = Bid(2000, BidStatus.Accepted);
        var second30 = Bid(3000);
        var mine = Bid(4500);
        List<BidEntry> bids = [first30, withdrawn, rejected, expired, accepted, second30, mine];

        Assert.Equal(1, JobPostRules.Rank(bids, accepted));
        Assert.Equal(2, JobPostRules.Rank(bids, first30));
        Assert.Equal(3, JobPostRules.Rank(bids, second30));
        Assert.Equal(4, JobPostRules.Rank(bids, mine));
    }

    [Fact]
    public void The_standing_says_it_as_the_seed_does()
    {
        var low = Bid(3000);
        var mine = Bid(4500);
        List<BidEntry> bids = [low, Bid(5000), Bid(4800), mine, Bid(100, BidStatus.Withdrawn)];

        var standing = JobPostRules.Standing(bids, mine);

        Assert.Equal(new BidStanding(2, 4, 3000, false, "Your bid is ranked #2 of 4. The current lowest bid is $30.00."), standing);
        Assert.Equal("Your bid is the lowest of 4.", JobPostRules.Standing(bids, low).Message);
        Assert.True(JobPostRules.Standing(bids, low).IsLowest);
        Assert.Equal("Your bid is the lowest of 1.", JobPostRules.Standing([mine], mine).Message);
    }

    [Fact]
    public void A_new_bid_undercuts_the_other_agents_pending_bids_priced_above_it()
    {
        var above = Bid(5000);
        var equal = Bid(4000);
        var below = Bid(3000);
        var acceptedAbove = Bid(6000, BidStatus.Accepted);
        var withdrawnAbove = Bid(6000, BidStatus.Withdrawn);
        var mine = Bid(4000);
        List<BidEntry> bids = [above, equal, below, acceptedAbove, withdrawnAbove, mine];

        Assert.Equal([above], JobPostRules.Undercut(bids, mine));
    }

    [Fact]
    public void A_lowered_price_newly_undercuts_only_the_bids_between_its_new_and_old_price()
    {
        var high = Bid(9000);      // undercut already by the old price
        var atOld = Bid(6000);
        var between = Bid(5000);
        var atNew = Bid(4000);
        var mine = Bid(4000);
        List<BidEntry> bids = [high, atOld, between, atNew, mine];

        Assert.Equal([atOld, between], JobPostRules.Undercut(bids, mine, oldPriceCents: 6000));
        mine.PriceCents = 7000;
        Assert.Empty(JobPostRules.Undercut(bids, mine, oldPriceCents: 6000)); // a raise undercuts nobody
    }

    [Fact]
    public void An_agent_never_undercuts_itself()
    {
        var mine = Bid(4000, bidder: "agt_same");
        List<BidEntry> bids = [Bid(5000, BidStatus.Withdrawn, bidder: "agt_same"), Bid(6000, bidder: "agt_same"), mine];
        Assert.Empty(JobPostRules.Undercut(bids, mine));
    }

    [Theory]
    [InlineData(3000L, 3000L, 0, 1, true)]
    [InlineData(3000L, 2999L, 0, 1, true)]
    [InlineData(3000L, 3001L, 0, 1, false)]
    [InlineData(null, 1L, 0, 1, false)]
    [InlineData(3000L, 3000L, 1, 1, false)]
    [InlineData(3000L, 3000L, 2, 3, true)]
    [InlineData(3000L, 3000L, 3, 3, false)]
    public void A_bid_at_or_below_the_threshold_is_accepted_on_arrival_while_the_post_takes_more(
        long? threshold, long price, int accepted, int max, bool instant) =>
        Assert.Equal(instant, JobPostRules.AcceptsInstantly(threshold, price, accepted, max));

    [Fact]
    public void Live_bids_are_those_not_withdrawn_rejected_expired_or_cancelled()
    {
        Assert.Equal([BidStatus.Pending, BidStatus.Accepted, BidStatus.Delivered, BidStatus.Completed, BidStatus.Disputed],
            BidStatus.All.Where(JobPostRules.IsLive));
    }
}
