using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Wallets;

/// <summary>What the wallets keep, counted straight from PostgreSQL, for the refusal tests.</summary>
static class WalletStored
{
    /// <summary>Ledger entries on the agent's wallet: every deposit, withdrawal and reversal is one.</summary>
    public static async Task<long> WalletEntries(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM ledger_entries WHERE account_id = @id", ("id", LedgerAccount.AgentWallet(agentId))))!;

    /// <summary>Every transfer of the ledger and every wallet description row.</summary>
    public static async Task<long> LedgerTransfers(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT (SELECT count(*) FROM ledger_transfers) + (SELECT count(*) FROM wallet_transfers)"))!;
}
