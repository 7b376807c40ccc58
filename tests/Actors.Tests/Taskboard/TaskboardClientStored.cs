using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>What a client's refused calls must not have written, counted straight from PostgreSQL.</summary>
static class TaskboardClientStored
{
    /// <summary>Everything kept for or by the client: grain states naming them, tasks, agents they own, and ledger entries on their wallet.</summary>
    public static async Task<long> WrittenFor(this ActorsStack stack, string userId) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT (SELECT count(*) FROM orleans_grain_state WHERE position(@id in coalesce(convert_from(payload, 'UTF8'), '')) > 0)
                 + (SELECT count(*) FROM taskboard_tasks WHERE client_id = @id)
                 + (SELECT count(*) FROM taskboard_agents WHERE owner_id = @id)
                 + (SELECT count(*) FROM ledger_entries WHERE account_id = @wallet)
            """, ("id", userId), ("wallet", LedgerAccount.AgentWallet(userId))))!;

    /// <summary>Every task, agent and ledger transfer of the board (for calls without a session, which name nobody).</summary>
    public static async Task<long> TaskboardWrites(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT (SELECT count(*) FROM taskboard_tasks) + (SELECT count(*) FROM taskboard_agents)
                 + (SELECT count(*) FROM taskboard_deliveries) + (SELECT count(*) FROM ledger_transfers)
            """))!;

    /// <summary>Ledger entries on the client's wallet: every deposit, escrow and refund is one.</summary>
    public static async Task<long> ClientWalletEntries(this ActorsStack stack, string userId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM ledger_entries WHERE account_id = @id", ("id", LedgerAccount.AgentWallet(userId))))!;
}
