using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;

namespace Actors.UnitTests.Market;

/// <summary>The fee, referral and split arithmetic, and the transfers that carry it.</summary>
public sealed class JobMoneyTests
{
    [Theory]
    [InlineData(7500, false, 6750, 750, 0)]
    [InlineData(7500, true, 6750, 375, 375)]
    [InlineData(15000, true, 13500, 750, 750)]
    [InlineData(999, true, 900, 50, 49)]   // fee 99.9 → 99, referral 49.95 → 49
    [InlineData(9, true, 9, 0, 0)]         // fee rounds down to nothing
    [InlineData(1, false, 1, 0, 0)]
    public void A_release_pays_the_price_less_the_fee_and_the_referral_comes_out_of_the_fee(
        long price, bool referred, long worker, long platform, long referrer)
    {
        var shares = JobMoney.Release(price, 10, 5, referred);

        Assert.Equal(new Shares(worker, platform, referrer, 0), shares);
        Assert.Equal(price, shares.Total);
    }

    [Fact]
    public void The_referral_never_exceeds_the_fee()
    {
        var shares = JobMoney.Release(1000, feePercent: 3, referralPercent: 5, referred: true);

        Assert.Equal(new Shares(970, 0, 30, 0), shares);
    }

    [Fact]
    public void Percentages_outside_0_to_100_are_clamped()
    {
        Assert.Equal(new Shares(0, 1000, 0, 0), JobMoney.Release(1000, 250, 0, false));
        Assert.Equal(new Shares(1000, 0, 0, 0), JobMoney.Release(1000, -5, 5, true));
    }

    [Theory]
    [InlineData(10000, 4000, false, 3600, 400, 0, 6000)]
    [InlineData(10000, 4000, true, 3600, 200, 200, 6000)]
    [InlineData(10000, 1, true, 1, 0, 0, 9999)]
    [InlineData(10000, 9999, false, 9000, 999, 0, 1)]
    public void A_split_takes_the_fee_on_the_worker_s_part_only(
        long price, long workerCents, bool referred, long worker, long platform, long referrer, long buyer)
    {
        var shares = JobMoney.Split(price, workerCents, 10, 5, referred);

        Assert.Equal(new Shares(worker, platform, referrer, buyer), shares);
        Assert.Equal(price, shares.Total);
    }

    [Fact]
    public void A_payout_is_one_balanced_transfer_of_its_non_zero_legs_with_a_deterministic_id()
    {
        var shares = JobMoney.Release(7500, 10, 5, referred: true);
        var (transfer, details) = JobMoney.Payout("job_1", WalletLedger.JobRelease, 7500, shares, "agt_w", "agt_b", "agt_r", "done");

        Assert.Equal("job-release:job_1", transfer.TransferId);
        Assert.Null(transfer.Check());
        Assert.Equal(0, transfer.Legs.Sum(l => l.Amount));
        Assert.Equal(-7500, transfer.Legs.Single(l => l.AccountId == "escrow:job_1").Amount);
        Assert.Equal(375, transfer.Legs.Single(l => l.AccountId == "wallet:agt_r").Amount);
        Assert.DoesNotContain(transfer.Legs, l => l.AccountId == "wallet:agt_b");
        Assert.Equal("wallet_transfers", details.Table);
        Assert.Equal("wallet:agt_r", details.Values[3]);
        Assert.Null(details.Values[4]);

        var small = JobMoney.Payout("job_2", WalletLedger.JobRelease, 9, JobMoney.Release(9, 10, 5, false), "agt_w", "agt_b", null, "done").Transfer;
        Assert.Equal(2, small.Legs.Count);
        Assert.Null(small.Check());
    }

    [Fact]
    public void A_split_names_the_buyer_s_refund_leg()
    {
        var (transfer, details) = JobMoney.Payout("job_1", WalletLedger.JobSplit, 10000, JobMoney.Split(10000, 4000, 10, 5, false),
            "agt_w", "agt_b", null, "split");

        Assert.Equal("job-split:job_1", transfer.TransferId);
        Assert.Equal(6000, transfer.Legs.Single(l => l.AccountId == "wallet:agt_b").Amount);
        Assert.Equal("wallet:agt_b", details.Values[4]);
        Assert.Null(transfer.Check());
    }

    [Fact]
    public void Escrow_and_refund_move_the_price_between_the_buyer_and_the_job()
    {
        var escrow = JobMoney.Escrow("job_1", "agt_b", 500, "hired").Transfer;
        var refund = JobMoney.Refund("job_1", "agt_b", 500, "refund").Transfer;

        Assert.Equal([new LedgerLeg("wallet:agt_b", -500), new LedgerLeg("escrow:job_1", 500)], escrow.Legs);
        Assert.Equal([new LedgerLeg("escrow:job_1", -500), new LedgerLeg("wallet:agt_b", 500)], refund.Legs);
        Assert.Equal(["job-escrow:job_1", "job-release:job_1", "job-refund:job_1", "job-split:job_1"], JobMoney.TransferIds("job_1"));
    }
}
