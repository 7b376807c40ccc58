using Actors.Bench.MarketLoad;
using Npgsql;

namespace Actors.Bench.TaskboardLoad;

/// <summary>What the run left behind, read back after phase 2; <see cref="Problems"/> is empty when everything adds up.</summary>
public sealed record CheckResult(
    IReadOnlyDictionary<string, long> LifecycleStatuses, long LedgerSum, long DriftedAccounts,
    long LifecycleEscrowsNotEmpty, long OpenEscrowCents, long OpenTasksCents,
    int AgentsPaid, long EarnedCents, long ClientBalanceCents, long ClientExpectedCents, IReadOnlyList<string> Problems);

/// <summary>
/// After the lifecycles: every task they posted is COMPLETED; the ledger sums to zero and no
/// account drifted; every lifecycle's escrow is empty and the OPEN tasks' escrows hold their
/// rewards; each agent's earnings (what the approvals answered) equal its wallet's ledger sum, the
/// table's agent_earned_cents and its <c>GET /agents/me</c> earnings; the client's wallet holds
/// the deposit less every reward.
/// </summary>
public static class Checks
{
    public static async Task<CheckResult> Run(TaskboardApi api, Board board, LifecycleResult life, Options o)
    {
        var problems = new List<string>();
        await using var db = NpgsqlDataSource.Create(StackDatabase.ConnectionString(o.DataDir, o.PgPort));

        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand("SELECT status, count(*) FROM taskboard_tasks WHERE task_id = ANY($1) GROUP BY status"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = life.Posted.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) statuses[reader.GetString(0)] = reader.GetInt64(1);
        }
        var rows = statuses.Values.Sum();
        if (rows != life.Posted.Count) problems.Add($"{life.Posted.Count} tasks posted, {rows} rows in taskboard_tasks");
        if (statuses.Any(s => s.Key != "COMPLETED")) problems.Add("tasks not COMPLETED: " + string.Join(", ", statuses.Where(s => s.Key != "COMPLETED").Select(s => $"{s.Key} {s.Value}")));

        var ledgerSum = await Scalar(db, "SELECT coalesce(sum(amount), 0)::bigint FROM ledger_entries");
        if (ledgerSum != 0) problems.Add($"the ledger sums to {ledgerSum}, not 0");
        var drifted = await Scalar(db, """
            SELECT count(*)::bigint FROM ledger_accounts a
            LEFT JOIN (SELECT e.account_id, sum(e.amount) AS total FROM ledger_entries e WHERE e.folded GROUP BY e.account_id) f ON f.account_id = a.account_id
            WHERE a.balance <> coalesce(f.total, 0)
            """);
        if (drifted != 0) problems.Add($"{drifted} ledger accounts drifted from their folded entries");

        const string EscrowSums = "SELECT account_id, sum(amount) AS held FROM ledger_entries WHERE account_id = ANY($1) GROUP BY account_id";
        var notEmpty = await Scalar(db, $"SELECT count(*)::bigint FROM ({EscrowSums}) x WHERE held <> 0", [.. life.Posted.Select(t => "escrow:" + t)]);
        if (notEmpty != 0) problems.Add($"{notEmpty} escrows of approved tasks are not empty");
        var openHeld = await Scalar(db, $"SELECT coalesce(sum(held), 0)::bigint FROM ({EscrowSums}) x", [.. board.OpenTasks.Select(t => "escrow:" + t)]);
        if (openHeld != board.OpenTasksCents) problems.Add($"the OPEN tasks' escrows hold {openHeld} cents, their rewards {board.OpenTasksCents}");

        // Per agent: its wallet on the ledger and the table's earnings, against what its approvals answered.
        var paid = new Dictionary<string, (long Wallet, long Earned)>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand("""
            SELECT a.handle,
                   coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.account_id = 'wallet:' || a.agent_id), 0)::bigint,
                   coalesce((SELECT sum(t.agent_earned_cents) FROM taskboard_tasks t WHERE t.claimed_by = a.handle AND t.status = 'COMPLETED'), 0)::bigint
            FROM taskboard_agents a WHERE a.handle = ANY($1)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = board.Agents.Select(a => a.Handle).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) paid[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }
        var mismatches = new List<string>();
        var fromApi = new long?[board.Agents.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, board.Agents.Length), new ParallelOptions { MaxDegreeOfParallelism = o.SetupConcurrency }, async (i, _) =>
        {
            var me = await api.Me(board.Agents[i].ApiKey);
            fromApi[i] = me.Body.Num("agent.earnings.amount") is { } usdc ? Setup.Cents(usdc) : null;
        });
        for (var i = 0; i < board.Agents.Length; i++)
        {
            var handle = board.Agents[i].Handle;
            var expected = life.EarnedByAgent.GetValueOrDefault(handle);
            var (wallet, earned) = paid.GetValueOrDefault(handle, (-1, -1));
            if (wallet != expected || earned != expected || fromApi[i] != expected)
                mismatches.Add($"{handle}: approvals paid {expected}, wallet {wallet}, table {earned}, /agents/me {fromApi[i]?.ToString() ?? "?"} cents");
        }
        if (mismatches.Count > 0) problems.Add($"{mismatches.Count} agents' earnings differ: " + string.Join("; ", mismatches.Take(5)));

        var balance = (long?)(await api.Wallet()).Body.Num("wallet.balanceCents") ?? -1;
        var expectedBalance = board.DepositedCents - board.OpenTasksCents - life.PostedCents;
        if (balance != expectedBalance) problems.Add($"the client's wallet holds {balance} cents, expected {expectedBalance} (deposit less every reward)");

        return new CheckResult(statuses, ledgerSum, drifted, notEmpty, openHeld, board.OpenTasksCents,
            life.EarnedByAgent.Count, life.EarnedByAgent.Values.Sum(), balance, expectedBalance, problems);
    }

    static async Task<long> Scalar(NpgsqlDataSource db, string sql, string[]? parameter = null)
    {
        await using var cmd = db.CreateCommand(sql);
        if (parameter is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
