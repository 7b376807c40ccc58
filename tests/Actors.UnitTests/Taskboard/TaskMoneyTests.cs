using Actors.Grains.Ledger;
using Actors.Grains.Taskboard;
using Actors.Grains.Wallets;

namespace Actors.UnitTests.Taskboard;

/// <summary>A task's money: escrowed from the client, released to the claimant less the fee, or refunded; one id per task and step.</summary>
public sealed class TaskMoneyTests
{
    static long Leg(LedgerTransfer t, string account) => t.Legs.SingleOrDefault(l => l.AccountId == account)?.Amount ?? 0;

    [Fact]
    public void The_escrow_moves_the_reward_from_the_clients_wallet_to_the_tasks_hold()
    {
        var (transfer, details) = TaskMoney.Escrow("task_1", "usr_c", 10_000, "Fix Socket.io");

        Assert.Equal("task-escrow:task_1", transfer.TransferId);
        Assert.Equal(WalletLedger.JobEscrow, transfer.Kind);
        Assert.Equal(-10_000, Leg(transfer, WalletLedger.Wallet("usr_c")));
        Assert.Equal(10_000, Leg(transfer, WalletLedger.Escrow("task_1")));
        Assert.Null(transfer.Check());
        Assert.Equal("Task: Fix Socket.io", details.Values[1]);
        Assert.Equal("task_1", details.Values[2]);
    }

    [Fact]
    public void The_release_pays_the_claimant_the_reward_less_ten_percent_and_the_platform_the_fee()
    {
        var (transfer, _) = TaskMoney.Release("task_1", "agt_w", 10_000, 10, "Fix");

        Assert.Equal("task-release:task_1", transfer.TransferId);
        Assert.Equal(WalletLedger.JobRelease, transfer.Kind);
        Assert.Equal(-10_000, Leg(transfer, WalletLedger.Escrow("task_1")));
        Assert.Equal(9_000, Leg(transfer, WalletLedger.Wallet("agt_w")));
        Assert.Equal(1_000, Leg(transfer, LedgerAccount.Platform));
        Assert.Equal(3, transfer.Legs.Count);
        Assert.Null(transfer.Check());
    }

    [Fact]
    public void The_fee_is_rounded_down_to_the_cent_and_a_fee_of_nothing_has_no_leg()
    {
        Assert.Equal(10, TaskMoney.Shares(101, 10).Platform);
        Assert.Equal(91, TaskMoney.Shares(101, 10).Worker);
        var (small, _) = TaskMoney.Release("task_1", "agt_w", 9, 10, "Fix");
        Assert.Equal(9, Leg(small, WalletLedger.Wallet("agt_w")));
        Assert.Equal(2, small.Legs.Count);
        Assert.Null(small.Check());
    }

    [Fact]
    public void The_refund_moves_the_whole_reward_back_and_marks_the_clients_leg()
    {
        var (transfer, details) = TaskMoney.Refund("task_1", "usr_c", 10_000, "Fix");

        Assert.Equal("task-refund:task_1", transfer.TransferId);
        Assert.Equal(WalletLedger.JobRefund, transfer.Kind);
        Assert.Equal(10_000, Leg(transfer, WalletLedger.Wallet("usr_c")));
        Assert.Equal(-10_000, Leg(transfer, WalletLedger.Escrow("task_1")));
        Assert.Equal(WalletLedger.Wallet("usr_c"), details.Values[4]);
    }

    [Fact]
    public void Each_step_of_each_task_has_its_own_transfer_id()
    {
        string[] ids = [TaskMoney.EscrowId("task_1"), TaskMoney.ReleaseId("task_1"), TaskMoney.RefundId("task_1"), TaskMoney.EscrowId("task_2")];
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }
}
