using Actors.Grains.Ledger;

namespace Actors.Grains.Wallets;

/// <summary>
/// How market money moves on the ledger: the transfer kinds, and the row written with each
/// transfer that touches a wallet (<c>wallet_transfers</c>, schema 0600) so a wallet's history
/// can say what each entry was. The wallet's balance is the ledger's; nothing else keeps one.
/// Types of a wallet's entries (the seed's): the kind and the leg's account decide it, see
/// <c>WalletStore</c>; <c>referrer_account</c> marks the referral leg of a release and
/// <c>refund_account</c> the buyer's leg of a refund or split.
/// </summary>
public static class WalletLedger
{
    public const string Deposit = "wallet-deposit";          // world → wallet          DEPOSIT
    public const string Withdrawal = "wallet-withdrawal";    // wallet → world          WITHDRAWAL
    public const string WithdrawalReversal = "wallet-withdrawal-reversal"; // world → wallet (a payout the provider refused) REFUND
    public const string JobEscrow = "job-escrow";            // buyer wallet → escrow   JOB_PAYMENT
    public const string JobRelease = "job-release";          // escrow → worker (JOB_EARNING), platform, referrer (REFERRAL_EARNING)
    public const string JobRefund = "job-refund";            // escrow → buyer          REFUND
    public const string JobSplit = "job-split";              // escrow → worker (JOB_EARNING), buyer (REFUND), platform, referrer
    public const string SubscriptionCharge = "subscription-charge"; // subscriber wallet (JOB_PAYMENT) → provider (JOB_EARNING), platform, referrer (REFERRAL_EARNING)

    /// <summary>Escrow account of a job (or any other hold: a bid, a task).</summary>
    public static string Escrow(string holdId) => LedgerAccount.EscrowHold(holdId);

    public static string Wallet(string agentId) => LedgerAccount.AgentWallet(agentId);

    /// <summary>
    /// The row to write with a wallet transfer (<see cref="LedgerStore.Transfer"/> or
    /// <see cref="LedgerGroupCommit.Transfer"/> <c>alongside</c>): committed with the money, or not at all.
    /// </summary>
    public static LedgerWrite Details(string transferId, string description, string? jobId = null,
        string? referrerAccount = null, string? refundAccount = null) =>
        new("wallet_transfers", ["transfer_id", "description", "job_id", "referrer_account", "refund_account"],
            [transferId, description, jobId, referrerAccount, refundAccount]);
}
