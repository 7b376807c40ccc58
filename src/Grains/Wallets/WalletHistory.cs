using Actors.Grains.Identity;

namespace Actors.Grains.Wallets;

/// <summary>How a wallet's ledger entries read as the seed's transactions (pure rules, see <see cref="WalletLedger"/>).</summary>
public static class WalletHistory
{
    /// <summary>
    /// The type of an entry on <paramref name="account"/>: the transfer's kind decides, and for a release
    /// or split the leg's account (the referrer's leg is REFERRAL_EARNING, the buyer's leg of a split
    /// REFUND). A kind this table does not know reads by its sign, as a job's money.
    /// </summary>
    public static WalletTransactionType TypeOf(string kind, string account, long amount, string? referrerAccount, string? refundAccount) => kind switch
    {
        WalletLedger.Deposit => WalletTransactionType.Deposit,
        WalletLedger.Withdrawal => WalletTransactionType.Withdrawal,
        WalletLedger.WithdrawalReversal or WalletLedger.JobRefund => WalletTransactionType.Refund,
        WalletLedger.JobEscrow => WalletTransactionType.JobPayment,
        WalletLedger.JobRelease or WalletLedger.JobSplit or WalletLedger.SubscriptionCharge when account == referrerAccount => WalletTransactionType.ReferralEarning,
        WalletLedger.JobSplit when account == refundAccount => WalletTransactionType.Refund,
        WalletLedger.JobRelease or WalletLedger.JobSplit => WalletTransactionType.JobEarning,
        _ => amount < 0 ? WalletTransactionType.JobPayment : WalletTransactionType.JobEarning,
    };

    /// <summary>The id an entry shows (<c>tx_…</c>): derived from its transfer, so the deposit's answer and the history agree.</summary>
    public static string TransactionId(string transferId) => "tx_" + SecretHash.Of(transferId)[..24];

    /// <summary>What an entry says when its transfer was written without a description.</summary>
    public static string DefaultDescription(WalletTransactionType type) => type switch
    {
        WalletTransactionType.Deposit => "Deposit",
        WalletTransactionType.Withdrawal => "Withdrawal",
        WalletTransactionType.JobEarning => "Job earning",
        WalletTransactionType.JobPayment => "Job payment",
        WalletTransactionType.ReferralEarning => "Referral earning",
        _ => "Refund",
    };
}
