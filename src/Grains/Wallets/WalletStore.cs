using Actors.Grains.Ledger;
using Npgsql;

namespace Actors.Grains.Wallets;

/// <summary>
/// Reads a wallet's history from the ledger: the latest entries of <c>wallet:&lt;agent id&gt;</c>
/// (through the partial index <c>ledger_entries_wallets</c>, schema 0600), named by
/// <c>wallet_transfers</c>. Writes nothing: every wallet move is a ledger transfer.
/// </summary>
public sealed class WalletStore(NpgsqlDataSource db)
{
    /// <summary>
    /// The balance and the latest <paramref name="limit"/> entries, newest first, read in one statement
    /// (one snapshot), so each entry's balance after it (the balance less every newer entry; credits
    /// record none in <c>ledger_entries</c>) agrees with the balance shown.
    /// </summary>
    public async Task<(long Balance, IReadOnlyList<WalletTransaction> Entries)> Recent(string agentId, int limit)
    {
        var account = WalletLedger.Wallet(agentId);
        // The balance as LedgerStore.Balance computes it; the LIKE repeats the partial index's predicate.
        await using var cmd = db.CreateCommand("""
            WITH balance AS (
                SELECT coalesce((SELECT a.balance + coalesce((SELECT sum(u.amount) FROM ledger_entries u
                                                             WHERE u.account_id = a.account_id AND NOT u.folded), 0)
                                 FROM ledger_accounts a WHERE a.account_id = $1), 0)::bigint AS cents),
            recent AS (
                SELECT e.entry_id, e.transfer_id, e.amount, e.created_at
                FROM ledger_entries e
                WHERE e.account_id = $1 AND e.account_id LIKE 'wallet:%'
                ORDER BY e.entry_id DESC LIMIT $2)
            SELECT b.cents, r.transfer_id, r.amount, r.created_at, t.kind, w.description, w.job_id, w.referrer_account, w.refund_account
            FROM balance b
            LEFT JOIN recent r ON true
            LEFT JOIN ledger_transfers t ON t.transfer_id = r.transfer_id
            LEFT JOIN wallet_transfers w ON w.transfer_id = r.transfer_id
            ORDER BY r.entry_id DESC
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = account });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        long balance = 0;
        var entries = new List<WalletTransaction>(limit);
        await using var reader = await cmd.ExecuteReaderAsync();
        long after = 0;
        while (await reader.ReadAsync())
        {
            balance = reader.GetInt64(0);
            if (entries.Count == 0) after = balance;
            if (reader.IsDBNull(1)) continue;
            var amount = reader.GetInt64(2);
            var type = WalletHistory.TypeOf(reader.GetString(4), account, amount,
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));
            entries.Add(new WalletTransaction(
                WalletHistory.TransactionId(reader.GetString(1)), amount, type,
                reader.IsDBNull(5) ? WalletHistory.DefaultDescription(type) : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                after, reader.GetFieldValue<DateTimeOffset>(3)));
            after -= amount;
        }
        return (balance, entries);
    }
}
