using Actors.Grains.Wallets;
using Npgsql;

namespace Actors.Grains.Market;

/// <summary>Referral counts from the directory (who registered with whose code) and earnings from the ledger.</summary>
public sealed class ReferralStore(NpgsqlDataSource db)
{
    public async Task<(int AgentsReferred, long TotalEarningsCents)> Of(string agentId)
    {
        // Earnings: the referral legs of releases, i.e. the agent's wallet entries whose transfer
        // names that wallet as its referrer (WalletLedger.Details). The LIKE repeats the partial
        // index's predicate (schema 0600) so the planner uses it.
        await using var cmd = db.CreateCommand("""
            SELECT
                (SELECT count(*) FROM agent_directory WHERE referred_by = @agent),
                (SELECT coalesce(sum(e.amount), 0)::bigint
                 FROM ledger_entries e JOIN wallet_transfers w ON w.transfer_id = e.transfer_id
                 WHERE e.account_id = @wallet AND e.account_id LIKE 'wallet:%' AND w.referrer_account = @wallet)
            """);
        cmd.Parameters.AddWithValue("agent", agentId);
        cmd.Parameters.AddWithValue("wallet", WalletLedger.Wallet(agentId));
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ((int)reader.GetInt64(0), reader.GetInt64(1));
    }
}
