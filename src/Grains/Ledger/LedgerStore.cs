using Npgsql;
using NpgsqlTypes;
using Actors.Grains.Platform;

namespace Actors.Grains.Ledger;

/// <summary>
/// The double-entry ledger (<c>ledger_accounts</c>, <c>ledger_transfers</c>, <c>ledger_entries</c>);
/// see <c>Schema/0150_ledger.sql</c> for how balances are kept without a hot row per payee.
/// A transfer is one call of the <c>ledger_transfer</c> SQL function: one statement, one
/// transaction (shared with at most one write of the caller's, see <see cref="LedgerWrite"/>). Balances are checked under row locks in that transaction, so
/// no account other than <see cref="LedgerAccount.World"/> ever goes below zero, whoever calls.
/// </summary>
public sealed class LedgerStore(NpgsqlDataSource db, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    /// <summary>
    /// Applies the transfer. <paramref name="alongside"/>, if given, is written in the same
    /// transaction when the transfer succeeds (applied or repeated) and not at all otherwise:
    /// what the money paid for (an access token, an escrow hold) commits with the money.
    /// </summary>
    public async Task<TransferResult> Transfer(LedgerTransfer transfer, LedgerWrite? alongside = null, CancellationToken ct = default)
    {
        if (transfer.Check() is { } problem) throw new ArgumentException(problem.Message, nameof(transfer));
        var result = await TryTransfer(transfer, alongside, ct);
        if (result is not null) return result;
        await OpenAccounts(transfer.Legs.Select(l => l.AccountId), ct);
        return await TryTransfer(transfer, alongside, ct) ?? throw new InvalidOperationException("ledger accounts vanished after being opened");
    }

    /// <summary>Opens accounts (balance 0, never negative) in a transaction of their own.</summary>
    internal async Task OpenAccounts(IEnumerable<string> accountIds, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO ledger_accounts (account_id, balance, may_go_negative, created_at) " +
            "SELECT a, 0, false, $2 FROM unnest($1::text[]) a ON CONFLICT (account_id) DO NOTHING");
        cmd.Parameters.Add(new NpgsqlParameter { Value = accountIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Null when an account is not open yet.</summary>
    async Task<TransferResult?> TryTransfer(LedgerTransfer transfer, LedgerWrite? alongside, CancellationToken ct)
    {
        // One batch is one round trip and one implicit transaction: the transfer and the row
        // written with it commit together, or neither does.
        await using var batch = db.CreateBatch();
        var call = new NpgsqlBatchCommand("SELECT outcome, account_id, balance FROM ledger_transfer($1, $2, $3, $4, $5, $6)");
        call.Parameters.Add(new NpgsqlParameter { Value = transfer.TransferId });
        call.Parameters.Add(new NpgsqlParameter { Value = transfer.Kind });
        call.Parameters.Add(new NpgsqlParameter { Value = transfer.Legs.Select(l => l.AccountId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        call.Parameters.Add(new NpgsqlParameter { Value = transfer.Legs.Select(l => l.Amount).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        call.Parameters.Add(new NpgsqlParameter { Value = transfer.Fingerprint() });
        call.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(call);
        if (alongside is not null) batch.BatchCommands.Add(alongside.Command(transfer.TransferId, transfer.Fingerprint()));

        string? outcome = null;
        string? shortAccount = null;
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                outcome = reader.GetString(0);
                if (reader.IsDBNull(1)) continue;
                balances[reader.GetString(1)] = reader.GetInt64(2);
                if (outcome == "insufficient") shortAccount = reader.GetString(1);
            }
            while (await reader.NextResultAsync(ct)) { }
        }
        return LedgerOutcome.Status(outcome, "ledger_transfer") is { } status ? new TransferResult(status, balances, shortAccount) : null;
    }

    /// <summary>The account's balance (folded balance plus entries not yet folded); 0 for an account never used.</summary>
    public async Task<long> Balance(string accountId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT (a.balance + coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.account_id = a.account_id AND NOT e.folded), 0))::bigint
            FROM ledger_accounts a WHERE a.account_id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = accountId });
        return await cmd.ExecuteScalarAsync(ct) is long balance ? balance : 0;
    }

    public async Task<bool> TransferExists(string transferId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM ledger_transfers WHERE transfer_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = transferId });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The double-entry invariant, for operators and tests: every transfer balances, so this is always zero.</summary>
    public async Task<long> SumOfAllEntries(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(sum(amount), 0)::bigint FROM ledger_entries");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Accounts whose folded balance differs from the sum of their folded entries (should be none).</summary>
    public async Task<int> DriftedAccounts(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(*)::int FROM ledger_accounts a
            LEFT JOIN (SELECT e.account_id, sum(e.amount) AS total FROM ledger_entries e WHERE e.folded GROUP BY e.account_id) f
                   ON f.account_id = a.account_id
            WHERE a.balance <> coalesce(f.total, 0)
            """);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// A row to insert together with a transfer, if and only if the transfer succeeds (applied, or
/// repeated with the same legs). A row already there (the same transfer's, written the first time)
/// is left as it is: a repeated transfer must answer its first outcome, not fail on its own row. <see cref="Table"/> and <see cref="Columns"/> are code, never input.
/// </summary>
public sealed record LedgerWrite(string Table, IReadOnlyList<string> Columns, IReadOnlyList<object?> Values)
{
    /// <summary>Table and columns: writes of one shape share one INSERT in a group commit.</summary>
    internal string Shape => Table + "(" + string.Join(",", Columns) + ")";

    internal NpgsqlBatchCommand Command(string transferId, string fingerprint)
    {
        var placeholders = string.Join(", ", Values.Select((_, i) => "$" + (i + 3)));
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {Table} ({string.Join(", ", Columns)}) SELECT {placeholders} " +
            "WHERE EXISTS (SELECT 1 FROM ledger_transfers WHERE transfer_id = $1 AND fingerprint = $2) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = transferId });
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        foreach (var value in Values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
