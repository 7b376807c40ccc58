using Actors.Grains.Wallets;

namespace Actors.UnitTests.Wallets;

public sealed class WalletHistoryTests
{
    const string Mine = "wallet:agt_me";
    const string Other = "wallet:agt_other";

    [Theory]
    [InlineData(WalletLedger.Deposit, 500, null, null, WalletTransactionType.Deposit)]
    [InlineData(WalletLedger.Withdrawal, -500, null, null, WalletTransactionType.Withdrawal)]
    [InlineData(WalletLedger.WithdrawalReversal, 500, null, null, WalletTransactionType.Refund)]
    [InlineData(WalletLedger.JobEscrow, -500, null, null, WalletTransactionType.JobPayment)]
    [InlineData(WalletLedger.JobRelease, 450, Other, null, WalletTransactionType.JobEarning)]
    [InlineData(WalletLedger.JobRelease, 25, Mine, null, WalletTransactionType.ReferralEarning)]
    [InlineData(WalletLedger.JobRefund, 500, null, null, WalletTransactionType.Refund)]
    [InlineData(WalletLedger.JobSplit, 200, Other, Mine, WalletTransactionType.Refund)]
    [InlineData(WalletLedger.JobSplit, 200, Other, Other, WalletTransactionType.JobEarning)]
    [InlineData(WalletLedger.JobSplit, 10, Mine, Other, WalletTransactionType.ReferralEarning)]
    [InlineData("something-new", -1, null, null, WalletTransactionType.JobPayment)]
    [InlineData("something-new", 1, null, null, WalletTransactionType.JobEarning)]
    public void The_kind_and_the_legs_account_decide_an_entrys_type(string kind, long amount, string? referrer, string? refund, WalletTransactionType expected) =>
        Assert.Equal(expected, WalletHistory.TypeOf(kind, Mine, amount, referrer, refund));

    [Fact]
    public void A_transaction_id_is_stable_per_transfer_and_never_the_transfer_id_itself()
    {
        Assert.Equal(WalletHistory.TransactionId("dep_1"), WalletHistory.TransactionId("dep_1"));
        Assert.NotEqual(WalletHistory.TransactionId("dep_1"), WalletHistory.TransactionId("dep_2"));
        Assert.Matches("^tx_[0-9a-f]{24}$", WalletHistory.TransactionId("dep_1"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0L, false)]
    [InlineData(-1L, false)]
    [InlineData(1L, true)]
    [InlineData(1_000_000L, true)]
    [InlineData(1_000_001L, false)]
    [InlineData(long.MinValue, false)]
    public void Deposits_are_1_to_1000000_cents(long? cents, bool accepted)
    {
        var problem = WalletRules.CheckAmount(cents, WalletLimits.MaxDepositCents);
        Assert.Equal(accepted, problem is null);
        if (problem is not null) Assert.Equal("amountCents", problem.Field);
    }
}
