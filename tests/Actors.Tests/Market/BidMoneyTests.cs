using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Market;

/// <summary>
/// A bid's money on the ledger: accepting escrows its price from the poster's wallet (402 when the
/// wallet is short, nothing changes), completing pays the bidder less the fee and the referrer its
/// share, a dispute waits for the operator (release, refund, split); withdrawn and rejected bids
/// move nothing; a step whose money moved but whose row was lost (a crash in between) is finished
/// on the next activation, never paid twice. The ledger holds (sums to zero, nothing below zero) after each.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BidMoneyTests(ActorsStack stack)
{
    sealed record Deal(RegisteredAgent Poster, RegisteredAgent Bidder, RegisteredAgent? Referrer, string PostId, string BidId);

    /// <summary>A post by a poster holding <paramref name="posterFunds"/>, and one PENDING bid of <paramref name="price"/>.</summary>
    async Task<Deal> Bidding(long posterFunds, long price = 4_000, bool referred = false, object? post = null)
    {
        var referrer = referred ? await stack.RegisterAgent(name: Unique.Name("referrer")) : null;
        var poster = await stack.RegisterAgent();
        if (posterFunds > 0) await stack.FundWallet(poster.ApiKey, posterFunds);
        var bidder = await stack.RegisterAgent(name: Unique.Name("FastBot"), referralCode: referrer?.ReferralCode);
        var postId = (await stack.OpenJobPost(poster.ApiKey, post)).Id();
        var bidId = (await stack.Bid(bidder.ApiKey, postId, price)).BidId();
        return new Deal(poster, bidder, referrer, postId, bidId);
    }

    async Task<Deal> Delivered(long posterFunds, long price = 4_000, bool referred = false)
    {
        var deal = await Bidding(posterFunds, price, referred);
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" });
        await stack.ChangeBid(deal.Bidder.ApiKey, deal.PostId, deal.BidId,
            new { status = "DELIVERED", deliveryNote = "Here's the scraper", deliveryUrl = "https://github.com/example/scraper" });
        return deal;
    }

    [Fact]
    public async Task A_bid_accepted_delivered_and_completed_pays_the_bidder_the_referrer_and_the_platform_to_the_cent()
    {
        var deal = await Bidding(posterFunds: 5_000, price: 4_000, referred: true);
        var escrow = LedgerAccount.EscrowHold(deal.BidId);

        var accepted = await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" });
        Assert.Equal("ACCEPTED", accepted.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal(1_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(4_000, await stack.Balance(escrow));
        using (var poster = stack.AsAgent(deal.Poster.ApiKey))
        {
            var payment = (await (await poster.GetAsync("/market/api/agents/wallet")).ReadJson()).GetProperty("transactions")[0];
            Assert.Equal("JOB_PAYMENT", payment.GetProperty("type").GetString());
            Assert.Equal(deal.PostId, payment.GetProperty("jobId").GetString());
        }

        var delivered = await stack.ChangeBid(deal.Bidder.ApiKey, deal.PostId, deal.BidId,
            new { status = "DELIVERED", deliveryNote = "Here's the scraper", deliveryUrl = "https://github.com/example/scraper" });
        Assert.Equal("DELIVERED", delivered.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal("Here's the scraper", delivered.GetProperty("bid").GetProperty("deliveryNote").GetString());
        Assert.Equal("https://github.com/example/scraper", delivered.GetProperty("bid").GetProperty("deliveryUrl").GetString());
        Assert.Single(await stack.NoticesOf(deal.Poster.Id, "bid_delivered"));
        Assert.Equal(4_000, await stack.Balance(escrow));
        var platform = await stack.Balance(LedgerAccount.Platform);

        var completed = await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "COMPLETED" });

        Assert.Equal("COMPLETED", completed.GetProperty("bid").GetProperty("status").GetString());
        Assert.Equal(0, await stack.Balance(escrow));
        Assert.Equal(3_600, await stack.WalletBalance(deal.Bidder.ApiKey));    // 4,000 less the 10 % fee
        Assert.Equal(200, await stack.WalletBalance(deal.Referrer!.ApiKey));   // 5 % of the price, out of the fee
        Assert.Equal(platform + 200, await stack.Balance(LedgerAccount.Platform));
        Assert.Equal(1_000, await stack.WalletBalance(deal.Poster.ApiKey));
        using (var bidder = stack.AsAgent(deal.Bidder.ApiKey))
        {
            var earning = (await (await bidder.GetAsync("/market/api/agents/wallet")).ReadJson()).GetProperty("transactions")[0];
            Assert.Equal("JOB_EARNING", earning.GetProperty("type").GetString());
            Assert.Equal(3_600, earning.GetProperty("amountCents").GetInt64());
            Assert.Equal(deal.PostId, earning.GetProperty("jobId").GetString());
            var me = await (await bidder.GetAsync("/market/api/agents/me")).ReadJson();
            Assert.Equal(1, me.GetProperty("agent").GetProperty("jobsCompleted").GetInt32());
        }
        Assert.Single(await stack.NoticesOf(deal.Bidder.Id, "bid_completed"));
        Assert.Equal(1, await stack.EventsOf(deal.PostId, deal.Bidder.Id, "bid.completed"));
        // Settled: no second payout.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "COMPLETED" })).StatusCode);
        Assert.Equal(3_600, await stack.WalletBalance(deal.Bidder.ApiKey));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Accepting_with_a_short_wallet_is_a_402_that_changes_nothing()
    {
        var deal = await Bidding(posterFunds: 1_000, price: 4_000);
        var rows = await stack.BidRows(deal.PostId);
        var post = await stack.PostRow(deal.PostId);
        var transfers = await stack.AllTransfers();

        var answer = await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" });

        Assert.Equal(HttpStatusCode.PaymentRequired, answer.StatusCode);
        var error = (await answer.ReadJson()).GetProperty("error").GetString()!;
        Assert.Contains("$10.00", error);
        Assert.Contains("$40.00", error);
        Assert.Equal(rows, await stack.BidRows(deal.PostId));
        Assert.Equal(post, await stack.PostRow(deal.PostId));
        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        Assert.Equal(1_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Empty(await stack.NoticesOf(deal.Bidder.Id, "bid_accepted"));

        // Once the wallet holds it, the same acceptance goes through, once.
        await stack.FundWallet(deal.Poster.ApiKey, 3_000);
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" });
        Assert.Equal(0, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(4_000, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task An_instant_accept_the_poster_cannot_pay_leaves_the_bid_pending_and_says_so()
    {
        var deal = await Bidding(posterFunds: 1_000, price: 5_000, post: BidClient.SeedPost(instantAcceptCents: 3_000));
        var bidder = await stack.RegisterAgent();

        var placed = await stack.Bid(bidder.ApiKey, deal.PostId, 2_500);

        Assert.Equal("PENDING", placed.Status());
        Assert.False(placed.TryGetProperty("jobPost", out _));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(placed.BidId())));
        Assert.Equal(1_000, await stack.WalletBalance(deal.Poster.ApiKey));
        var received = await stack.NoticesOf(deal.Poster.Id, "bid_received");
        Assert.Equal(2, received.Count);
        Assert.Contains("could not pay", received[1].Body);
        Assert.Equal("OPEN", (await stack.GetJobPost(deal.PostId)).GetProperty("status").GetString());

        // Funded, the next bid under the threshold is accepted on arrival and closes the single-bid post.
        await stack.FundWallet(deal.Poster.ApiKey, 2_000);
        var next = await stack.Bid((await stack.RegisterAgent()).ApiKey, deal.PostId, 2_800);
        Assert.Equal("ACCEPTED", next.Status());
        Assert.Equal("CLOSED", next.GetProperty("jobPost").GetProperty("status").GetString());
        Assert.Equal(2, next.GetProperty("rejectedBids").GetInt32());
        Assert.Equal(200, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(2_800, await stack.Balance(LedgerAccount.EscrowHold(next.BidId())));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Withdrawn_and_rejected_bids_move_no_money()
    {
        var deal = await Bidding(posterFunds: 5_000);
        var other = await stack.RegisterAgent();
        var otherBid = (await stack.Bid(other.ApiKey, deal.PostId, 3_000)).BidId();
        var transfers = await stack.AllTransfers();

        await stack.ChangeBid(deal.Bidder.ApiKey, deal.PostId, deal.BidId, new { status = "WITHDRAWN" });
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, otherBid, new { status = "REJECTED" });

        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(5_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(0, await stack.TransfersOfWallet(deal.Bidder.Id));
        Assert.Equal(0, await stack.TransfersOfWallet(other.Id));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_disputed_delivery_released_by_the_operator_pays_the_bidder_as_a_completion_does()
    {
        var deal = await Delivered(posterFunds: 4_000, referred: true);

        var disputed = await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "DISPUTED" });
        Assert.Equal("DISPUTED", disputed.GetProperty("bid").GetProperty("status").GetString());
        Assert.Single(await stack.NoticesOf(deal.Bidder.Id, "bid_disputed"));
        Assert.Equal(4_000, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        // Frozen: the poster can neither complete it nor dispute it again.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "COMPLETED" })).StatusCode);

        var resolved = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "release" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var bid = (await resolved.ReadJson()).GetProperty("bid");
        Assert.Equal("COMPLETED", bid.GetProperty("status").GetString());
        Assert.Equal("release", bid.GetProperty("resolution").GetString());
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        Assert.Equal(3_600, await stack.WalletBalance(deal.Bidder.ApiKey));
        Assert.Equal(200, await stack.WalletBalance(deal.Referrer!.ApiKey));
        Assert.Single(await stack.NoticesOf(deal.Bidder.Id, "bid_completed"));
        Assert.Single(await stack.NoticesOf(deal.Poster.Id, "bid_completed"));
        Assert.Equal(HttpStatusCode.Conflict, (await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "refund" })).StatusCode);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_dispute_refunded_by_the_operator_gives_the_poster_its_money_back_and_cancels_the_bid()
    {
        var deal = await Bidding(posterFunds: 4_000);
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" });
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "DISPUTED" }); // before delivery, too
        Assert.Equal(0, await stack.WalletBalance(deal.Poster.ApiKey));

        var resolved = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "refund" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var bid = (await resolved.ReadJson()).GetProperty("bid");
        Assert.Equal("CANCELLED", bid.GetProperty("status").GetString());
        Assert.Equal("refund", bid.GetProperty("resolution").GetString());
        Assert.Equal(4_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(0, await stack.WalletBalance(deal.Bidder.ApiKey));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        // The post stays closed: its one acceptance was used.
        Assert.Equal("CLOSED", (await stack.GetJobPost(deal.PostId)).GetProperty("status").GetString());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_dispute_split_by_the_operator_pays_the_bidder_its_part_less_the_fee_and_refunds_the_rest()
    {
        var deal = await Delivered(posterFunds: 4_000);
        await stack.ChangeBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "DISPUTED" });
        var platform = await stack.Balance(LedgerAccount.Platform);

        var tooMuch = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "split", workerCents = 4_000 });
        var unknown = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "keep" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(4_000, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));

        var resolved = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "split", workerCents = 1_000 });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var bid = (await resolved.ReadJson()).GetProperty("bid");
        Assert.Equal("COMPLETED", bid.GetProperty("status").GetString());
        Assert.Equal("split", bid.GetProperty("resolution").GetString());
        Assert.Equal(900, await stack.WalletBalance(deal.Bidder.ApiKey));
        Assert.Equal(3_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(platform + 100, await stack.Balance(LedgerAccount.Platform));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Only_a_disputed_bid_can_be_resolved()
    {
        var deal = await Delivered(posterFunds: 4_000);
        var transfers = await stack.AllTransfers();

        var answer = await stack.ResolveBid(deal.PostId, deal.BidId, new { outcome = "release" });
        var noBid = await stack.ResolveBid(deal.PostId, "bid_nosuchbid00000000000000", new { outcome = "release" });
        using var agent = stack.AsAgent(deal.Poster.ApiKey);
        var notOperator = await agent.PostAsJsonAsync($"/admin/api/market/job-posts/{deal.PostId}/bids/{deal.BidId}/resolve", new { outcome = "refund" });

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("DELIVERED", (await answer.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, noBid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notOperator.StatusCode);
        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(4_000, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task An_escrow_whose_acceptance_was_lost_accepts_the_bid_on_the_next_activation()
    {
        var deal = await Bidding(posterFunds: 5_000);
        var other = await stack.RegisterAgent();
        var otherBid = (await stack.Bid(other.ApiKey, deal.PostId, 4_500)).BidId();

        // What an acceptance writes first, alone: the escrow, as if the silo died right after it.
        var (escrow, details) = JobMoney.Escrow(deal.BidId, deal.Poster.Id, 4_000, "Accepted", walletJobId: deal.PostId);
        Assert.Equal(TransferStatus.Applied, (await Ledger().Transfer(escrow, details)).Status);
        await stack.CollectActivations();

        var list = await stack.ListBids(deal.PostId);

        var statuses = list.GetProperty("bids").EnumerateArray().ToDictionary(b => b.Id(), b => b.GetProperty("status").GetString());
        Assert.Equal("ACCEPTED", statuses[deal.BidId]);
        Assert.Equal("REJECTED", statuses[otherBid]);
        Assert.Equal("CLOSED", (await stack.GetJobPost(deal.PostId)).GetProperty("status").GetString());
        Assert.Single(await stack.NoticesOf(deal.Bidder.Id, "bid_accepted"));
        // Accepting it again moves nothing more.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "ACCEPTED" })).StatusCode);
        Assert.Equal(1_000, await stack.WalletBalance(deal.Poster.ApiKey));
        Assert.Equal(4_000, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_payout_whose_completion_was_lost_completes_the_bid_on_the_next_activation()
    {
        var deal = await Delivered(posterFunds: 4_000);

        var (release, details) = JobMoney.Payout(deal.BidId, WalletLedger.JobRelease, 4_000, JobMoney.Release(4_000, 10, 5, referred: false),
            deal.Bidder.Id, deal.Poster.Id, null, "Bid completed", walletJobId: deal.PostId);
        Assert.Equal(TransferStatus.Applied, (await Ledger().Transfer(release, details)).Status);
        await stack.CollectActivations();

        var bid = (await stack.ListBids(deal.PostId)).GetProperty("bids")[0];

        Assert.Equal("COMPLETED", bid.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "COMPLETED" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.PatchBid(deal.Poster.ApiKey, deal.PostId, deal.BidId, new { status = "DISPUTED" })).StatusCode);
        Assert.Equal(3_600, await stack.WalletBalance(deal.Bidder.ApiKey));
        Assert.Equal(0, await stack.Balance(LedgerAccount.EscrowHold(deal.BidId)));
        Assert.Single(await stack.NoticesOf(deal.Bidder.Id, "bid_completed"));
        await stack.AssertLedgerHolds();
    }

    LedgerGroupCommit Ledger() => stack.SiloServices.GetRequiredService<LedgerGroupCommit>();

}
