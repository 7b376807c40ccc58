using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;

namespace Actors.Grains.Taskboard;

/// <summary>
/// A task's money on the ledger: the reward escrowed from the client's wallet when posted
/// (<c>escrow:task_…</c>), released to the claimant's identity wallet less the platform's fee
/// (shared as a job's release, <see cref="JobMoney.Release"/>), or refunded to the client. One
/// transfer per step, its id naming the task and the step, so a repeat moves the money once.
/// </summary>
public static class TaskMoney
{
    public static string EscrowId(string taskId) => "task-escrow:" + taskId;
    public static string ReleaseId(string taskId) => "task-release:" + taskId;
    public static string RefundId(string taskId) => "task-refund:" + taskId;

    static string Description(string title) => "Task: " + title;

    public static (LedgerTransfer Transfer, LedgerWrite Details) Escrow(string taskId, string clientId, long rewardCents, string title)
    {
        var id = EscrowId(taskId);
        return (LedgerTransfer.Move(id, WalletLedger.JobEscrow, WalletLedger.Wallet(clientId), WalletLedger.Escrow(taskId), rewardCents),
            WalletLedger.Details(id, Description(title), taskId));
    }

    /// <summary>What the claimant gets of the reward (the rest is the platform's fee).</summary>
    public static Shares Shares(long rewardCents, int feePercent) => JobMoney.Release(rewardCents, feePercent, 0, referred: false);

    public static (LedgerTransfer Transfer, LedgerWrite Details) Release(string taskId, string claimantAgentId, long rewardCents, int feePercent, string title)
    {
        var id = ReleaseId(taskId);
        var (legs, _, _) = JobMoney.Legs(WalletLedger.Escrow(taskId), rewardCents, Shares(rewardCents, feePercent), claimantAgentId, referrerId: null, buyerId: null);
        return (new LedgerTransfer(id, WalletLedger.JobRelease, legs), WalletLedger.Details(id, Description(title), taskId));
    }

    public static (LedgerTransfer Transfer, LedgerWrite Details) Refund(string taskId, string clientId, long rewardCents, string title)
    {
        var id = RefundId(taskId);
        var client = WalletLedger.Wallet(clientId);
        return (LedgerTransfer.Move(id, WalletLedger.JobRefund, WalletLedger.Escrow(taskId), client, rewardCents),
            WalletLedger.Details(id, Description(title), taskId, refundAccount: client));
    }
}
