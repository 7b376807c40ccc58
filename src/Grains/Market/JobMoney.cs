using Actors.Grains.Ledger;
using Actors.Grains.Wallets;

namespace Actors.Grains.Market;

/// <summary>
/// A job's money on the ledger: one transfer per step, each with an id derived from the job, so a
/// step applied twice (a retry, a recovery) moves the money once. Pure: amounts and legs only.
/// Rounding: the fee is the price × fee percent / 100 rounded down to the cent, the referral the
/// price × referral percent / 100 rounded down and never more than the fee; the worker gets the
/// rest of the price, the platform the fee less the referral. A split applies the same to the
/// worker's part; the buyer gets the price less that part.
/// </summary>
public static class JobMoney
{
    public static string EscrowId(string jobId) => "job-escrow:" + jobId;
    public static string ReleaseId(string jobId) => "job-release:" + jobId;
    public static string RefundId(string jobId) => "job-refund:" + jobId;
    public static string SplitId(string jobId) => "job-split:" + jobId;

    /// <summary>Every transfer a job may make (what recovery looks for).</summary>
    public static string[] TransferIds(string jobId) => [EscrowId(jobId), ReleaseId(jobId), RefundId(jobId), SplitId(jobId)];

    /// <summary>Who gets what of <paramref name="workerPart"/> cents released to the worker.</summary>
    public static Shares Release(long workerPart, int feePercent, int referralPercent, bool referred)
    {
        var fee = workerPart * Math.Clamp(feePercent, 0, 100) / 100;
        var referral = referred ? Math.Min(fee, workerPart * Math.Clamp(referralPercent, 0, 100) / 100) : 0;
        return new Shares(workerPart - fee, fee - referral, referral, 0);
    }

    public static Shares Split(long price, long workerCents, int feePercent, int referralPercent, bool referred) =>
        Release(workerCents, feePercent, referralPercent, referred) with { Buyer = price - workerCents };

    /// <summary>
    /// <paramref name="walletJobId"/>: the job the wallet history names, when the hold is not the job
    /// itself (a bid's escrow is the bid's, its history shows the post).
    /// </summary>
    public static (LedgerTransfer Transfer, LedgerWrite Details) Escrow(string jobId, string buyerId, long price, string description, string? walletJobId = null)
    {
        var id = EscrowId(jobId);
        return (LedgerTransfer.Move(id, WalletLedger.JobEscrow, WalletLedger.Wallet(buyerId), WalletLedger.Escrow(jobId), price),
            WalletLedger.Details(id, description, walletJobId ?? jobId));
    }

    public static (LedgerTransfer Transfer, LedgerWrite Details) Refund(string jobId, string buyerId, long price, string description, string? walletJobId = null)
    {
        var id = RefundId(jobId);
        var buyer = WalletLedger.Wallet(buyerId);
        return (LedgerTransfer.Move(id, WalletLedger.JobRefund, WalletLedger.Escrow(jobId), buyer, price),
            WalletLedger.Details(id, description, walletJobId ?? jobId, refundAccount: buyer));
    }

    /// <summary>The escrow paid out as <paramref name="shares"/> (release or split): one transfer, only the non-zero legs.</summary>
    public static (LedgerTransfer Transfer, LedgerWrite Details) Payout(
        string jobId, string kind, long price, Shares shares, string workerId, string buyerId, string? referrerId, string description,
        string? walletJobId = null)
    {
        var id = kind == WalletLedger.JobSplit ? SplitId(jobId) : ReleaseId(jobId);
        var (legs, referrer, buyer) = Legs(WalletLedger.Escrow(jobId), price, shares, workerId, referrerId, buyerId);
        return (new LedgerTransfer(id, kind, legs), WalletLedger.Details(id, description, walletJobId ?? jobId, referrer, buyer));
    }

    /// <summary>
    /// <paramref name="amount"/> from <paramref name="from"/> paid out as <paramref name="shares"/>: only the
    /// non-zero legs; the referrer's and the buyer's wallet accounts when they get a leg (for the wallet history).
    /// </summary>
    public static (List<LedgerLeg> Legs, string? ReferrerAccount, string? BuyerAccount) Legs(
        string from, long amount, Shares shares, string workerId, string? referrerId, string? buyerId)
    {
        var referrer = referrerId is null || shares.Referrer == 0 ? null : WalletLedger.Wallet(referrerId);
        var buyer = buyerId is null || shares.Buyer == 0 ? null : WalletLedger.Wallet(buyerId);
        var legs = new List<LedgerLeg> { new(from, -amount) };
        if (shares.Worker > 0) legs.Add(new LedgerLeg(WalletLedger.Wallet(workerId), shares.Worker));
        if (shares.Platform > 0) legs.Add(new LedgerLeg(LedgerAccount.Platform, shares.Platform));
        if (referrer is not null) legs.Add(new LedgerLeg(referrer, shares.Referrer));
        if (buyer is not null) legs.Add(new LedgerLeg(buyer, shares.Buyer));
        return (legs, referrer, buyer);
    }
}
