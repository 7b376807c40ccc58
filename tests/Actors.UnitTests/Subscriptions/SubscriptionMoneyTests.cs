using Actors.Grains.Ledger;
using Actors.Grains.Subscriptions;
using Actors.Grains.Wallets;

namespace Actors.UnitTests.Subscriptions;

/// <summary>A month's charge: one transfer from the subscriber, shared as a job's release, named by the month.</summary>
public sealed class SubscriptionMoneyTests
{
    static (LedgerTransfer Transfer, LedgerWrite Details) Charge(long price, string? referrer, int period = 0) =>
        SubscriptionMoney.Charge("sub_1", period, "agt_s", "agt_p", referrer, price, "Daily Market Analysis", 10, 5)!.Value;

    static long Leg(LedgerTransfer t, string account) => t.Legs.SingleOrDefault(l => l.AccountId == account)?.Amount ?? 0;

    [Fact]
    public void Without_a_referrer_the_provider_gets_the_price_less_the_fee()
    {
        var (transfer, _) = Charge(1000, referrer: null);

        Assert.Equal(WalletLedger.SubscriptionCharge, transfer.Kind);
        Assert.Equal(-1000, Leg(transfer, WalletLedger.Wallet("agt_s")));
        Assert.Equal(900, Leg(transfer, WalletLedger.Wallet("agt_p")));
        Assert.Equal(100, Leg(transfer, LedgerAccount.Platform));
        Assert.Equal(3, transfer.Legs.Count);
        Assert.Null(transfer.Check());
    }

    [Fact]
    public void With_a_referrer_the_referral_comes_out_of_the_fee()
    {
        var (transfer, details) = Charge(1000, referrer: "agt_r");

        Assert.Equal(900, Leg(transfer, WalletLedger.Wallet("agt_p")));
        Assert.Equal(50, Leg(transfer, LedgerAccount.Platform));
        Assert.Equal(50, Leg(transfer, WalletLedger.Wallet("agt_r")));
        Assert.Equal(0, transfer.Legs.Sum(l => l.Amount));
        Assert.Null(transfer.Check());
        Assert.Equal(WalletLedger.Wallet("agt_r"), details.Values[3]);
    }

    [Fact]
    public void Zero_legs_are_left_out()
    {
        var (transfer, details) = Charge(9, referrer: "agt_r");   // the fee rounds down to nothing

        Assert.Equal(2, transfer.Legs.Count);
        Assert.Equal(9, Leg(transfer, WalletLedger.Wallet("agt_p")));
        Assert.Null(transfer.Check());
        Assert.Null(details.Values[3]);
    }

    [Fact]
    public void The_transfer_is_named_by_the_month_and_says_which_month_it_is()
    {
        var (first, firstDetails) = Charge(1000, null, period: 0);
        var (third, thirdDetails) = Charge(1000, null, period: 2);

        Assert.Equal("sub-charge:sub_1:0", first.TransferId);
        Assert.Equal("sub-charge:sub_1:2", third.TransferId);
        Assert.Equal("Subscription: Daily Market Analysis (month 1)", firstDetails.Values[1]);
        Assert.Equal("Subscription: Daily Market Analysis (month 3)", thirdDetails.Values[1]);
        Assert.Null(firstDetails.Values[2]);   // no job
    }

    [Fact]
    public void A_free_subscription_moves_nothing() =>
        Assert.Null(SubscriptionMoney.Charge("sub_1", 0, "agt_s", "agt_p", null, 0, "Free", 10, 5));
}
