using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Actors.Grains.Platform;

namespace Actors.Grains.Ledger;

/// <summary>Settings of the ledger's group commit (section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>Most transfers in one batch (one statement, one transaction, one commit).</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// Batches in flight at once. One is enough and the cheapest: while a batch commits, the next
    /// gathers, and the larger the batch the less each transfer costs (measured on the authorize
    /// benchmark: 2 writers cost PostgreSQL about 20% more CPU per transfer than 1).
    /// </summary>
    public int Writers { get; set; } = 1;
}

/// <summary>
/// Group commit for ledger transfers, one per silo. Transfers from any number of grains queue
/// in a <see cref="Batcher{TItem, TResult}"/>; its writer loops each take everything queued (up
/// to a batch; the transfers of one <see cref="TransferAll"/> stay together) and apply it, on a
/// connection they keep (<see cref="WriterConnections"/>), with one statement:
/// <c>ledger_transfer_batch</c> (schema 0406) and, on its answer, one set-based INSERT per kind
/// of <see cref="LedgerWrite"/>, in one round trip and one transaction. Every transfer gets its own
/// outcome, exactly as <see cref="LedgerStore.Transfer"/> would give it (applied, repeated with
/// the first outcome, insufficient, mismatch), and a caller's task completes only after its
/// batch has committed: nothing is acknowledged before it is durable. Under light load a batch
/// is one transfer (no added latency); under heavy load batches grow and commits stay few.
/// A batch the database refuses as a whole (an error in one transfer or in one of the rows
/// written with them) is applied again one transfer per transaction, so one bad transfer cannot
/// fail the others.
/// </summary>
public sealed class LedgerGroupCommit : IAsyncDisposable
{
    readonly WriterConnections _connections;
    readonly LedgerStore _ledger;
    readonly TimeProvider _clock;
    readonly ILogger<LedgerGroupCommit> _logger;
    readonly Batcher<Queued, TransferResult> _batches;

    public LedgerGroupCommit(NpgsqlDataSource db, LedgerStore ledger, [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
        IOptions<LedgerOptions> options, ILogger<LedgerGroupCommit> logger)
    {
        _connections = new WriterConnections(db);
        _ledger = ledger;
        _clock = clock;
        _logger = logger;
        _batches = new Batcher<Queued, TransferResult>(Write, options.Value.MaxBatch, Math.Clamp(options.Value.Writers, 1, 32));
    }

    /// <summary>Same contract as <see cref="LedgerStore.Transfer"/>, applied in the next batch.</summary>
    public Task<TransferResult> Transfer(LedgerTransfer transfer, LedgerWrite? alongside = null) => TransferAll([(transfer, alongside)])[0];

    /// <summary>
    /// Several transfers that go into the same batch (one commit for all of them, none waiting for
    /// a later batch); each still gets its own outcome: the task at index i is transfer i's.
    /// </summary>
    public IReadOnlyList<Task<TransferResult>> TransferAll(IReadOnlyList<(LedgerTransfer Transfer, LedgerWrite? Alongside)> transfers)
    {
        Task<TransferResult>[]? refused = null;
        var group = new List<Queued>(transfers.Count);
        for (var i = 0; i < transfers.Count; i++)
        {
            var (transfer, alongside) = transfers[i];
            if (transfer.Check() is { } problem) // that transfer alone
                (refused ??= new Task<TransferResult>[transfers.Count])[i] =
                    Task.FromException<TransferResult>(new ArgumentException(problem.Message, nameof(transfer)));
            else
                group.Add(new Queued(transfer, alongside, transfer.Fingerprint()));
        }
        var queued = _batches.SubmitAll(group);
        if (refused is null) return queued;
        for (int i = 0, k = 0; i < refused.Length; i++) refused[i] ??= queued[k++];
        return refused;
    }

    /// <summary>Answers every transfer of a batch: the distinct ids in one statement, then the rest one by one.</summary>
    async Task Write(Batcher<Queued, TransferResult>.Batch batch)
    {
        // Ids within a statement are distinct; a repeat of one goes after it, on its own.
        var items = batch.Items;
        var ids = new HashSet<string>(items.Count, StringComparer.Ordinal);
        var together = new List<int>(items.Count);
        var later = new List<int>();
        for (var i = 0; i < items.Count; i++)
            (ids.Add(items[i].Transfer.TransferId) ? together : later).Add(i);
        var missing = await Apply(batch, together);
        if (missing.Count > 0)
        {
            // Transfers to accounts not open yet (a new job's escrow, a worker's first earning): their
            // accounts are opened together, in a transaction of their own (opening them inside the batch,
            // holding its locks, could deadlock), and the transfers applied again as one batch: two round
            // trips for all of them, not three for each on this writer's path.
            try
            {
                await _ledger.OpenAccounts(missing.SelectMany(i => items[i].Transfer.Legs.Select(l => l.AccountId)).Distinct(StringComparer.Ordinal));
                missing = await Apply(batch, missing);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogInformation(e, "Opening the accounts of {Count} ledger transfers failed; applying them one by one", missing.Count);
            }
            later.AddRange(missing); // still missing (or the opening failed): the single path opens and applies each
        }
        foreach (var i in later) await ApplyAlone(batch, i);
    }

    /// <summary>Applies the items at <paramref name="together"/> in one transaction; answers those whose accounts are not all open yet.</summary>
    async Task<List<int>> Apply(Batcher<Queued, TransferResult>.Batch batch, List<int> together)
    {
        var missing = new List<int>();
        TransferResult?[] results;
        try
        {
            results = await _connections.Use(connection => ApplyBatch(connection, batch.Items, together));
        }
        catch (Exception e) when (e is PostgresException or NotSupportedException)
        {
            // Nothing of the batch was written: apply each transfer in a transaction of its own.
            _logger.LogInformation(e, "A batch of {Count} ledger transfers was refused as a whole; applying them one by one", together.Count);
            foreach (var i in together) await ApplyAlone(batch, i);
            return missing;
        }
        catch (Exception e)
        {
            // The connection failed: whether the batch committed is unknown, and the callers say so.
            _logger.LogWarning(e, "A batch of {Count} ledger transfers failed", together.Count);
            foreach (var i in together) batch.Fail(i, e);
            return missing;
        }
        for (var j = 0; j < together.Count; j++)
        {
            if (results[j] is { } result) batch.Complete(together[j], result);
            else missing.Add(together[j]);
        }
        return missing;
    }

    async Task ApplyAlone(Batcher<Queued, TransferResult>.Batch batch, int i)
    {
        var (transfer, alongside, _) = batch.Items[i];
        try { batch.Complete(i, await _ledger.Transfer(transfer, alongside)); }
        catch (Exception e) { batch.Fail(i, e); }
    }

    /// <summary>
    /// One round trip, one transaction for the items at <paramref name="together"/>; answer j is item
    /// together[j]'s. Null for a transfer whose accounts are not all open.
    /// </summary>
    async Task<TransferResult?[]> ApplyBatch(NpgsqlConnection connection, IReadOnlyList<Queued> items, List<int> together)
    {
        var n = together.Count;
        var ids = new string[n];
        var kinds = new string[n];
        var fingerprints = new string[n];
        var legTransfer = new List<int>(n * 2);
        var legAccounts = new List<string>(n * 2);
        var legAmounts = new List<long>(n * 2);
        for (var i = 0; i < n; i++)
        {
            var (transfer, _, fingerprint) = items[together[i]];
            ids[i] = transfer.TransferId;
            kinds[i] = transfer.Kind;
            fingerprints[i] = fingerprint;
            foreach (var leg in transfer.Legs)
            {
                legTransfer.Add(i + 1);
                legAccounts.Add(leg.AccountId);
                legAmounts.Add(leg.Amount);
            }
        }

        // One statement: the function's answer is read once, returned, and decides which rows written
        // with the transfers are kept (those whose transfer is now applied, or was before with the same legs).
        var groups = together.Select((at, i) => (Pending: items[at], Index: i + 1)).Where(x => x.Pending.Alongside is not null)
            .GroupBy(x => x.Pending.Alongside!.Shape, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var sql = new StringBuilder("WITH r AS MATERIALIZED (SELECT transfer_index, outcome, account_id, balance FROM ledger_transfer_batch($1, $2, $3, $4, $5, $6, $7))");
        await using var command = new NpgsqlBatch(connection);
        var call = new NpgsqlBatchCommand();
        call.Parameters.Add(PgArrays.Texts(ids));
        call.Parameters.Add(PgArrays.Texts(kinds));
        call.Parameters.Add(PgArrays.Texts(fingerprints));
        call.Parameters.Add(PgArrays.Ints(legTransfer));
        call.Parameters.Add(PgArrays.Texts(legAccounts));
        call.Parameters.Add(PgArrays.Longs(legAmounts));
        call.Parameters.Add(new NpgsqlParameter { Value = _clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        for (var g = 0; g < groups.Count; g++) AppendAlongside(sql, call.Parameters, g, groups[g]);
        sql.Append(" SELECT transfer_index, outcome, account_id, balance FROM r");
        call.CommandText = sql.ToString();
        command.BatchCommands.Add(call);

        // Prepared once per connection (Npgsql keeps it), not parsed and planned per batch.
        await command.PrepareAsync();

        var outcomes = new string?[n];
        var balances = new Dictionary<string, long>?[n];
        var shortAccounts = new string?[n];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var i = reader.GetInt32(0) - 1;
                outcomes[i] = reader.GetString(1);
                if (reader.IsDBNull(2)) continue;
                (balances[i] ??= new Dictionary<string, long>(StringComparer.Ordinal))[reader.GetString(2)] = reader.GetInt64(3);
                if (outcomes[i] == "insufficient") shortAccounts[i] = reader.GetString(2);
            }
        }

        var results = new TransferResult?[n];
        for (var i = 0; i < n; i++)
            if (LedgerOutcome.Status(outcomes[i], "ledger_transfer_batch") is { } status)
                results[i] = new TransferResult(status, (IReadOnlyDictionary<string, long>?)balances[i] ?? Empty, shortAccounts[i]);
        return results;
    }

    static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    /// <summary>
    /// The rows of one table written with the batch's transfers, as one INSERT over arrays in the
    /// batch's statement: each row is kept only if the function answered its transfer applied or repeated.
    /// </summary>
    static void AppendAlongside(StringBuilder sql, NpgsqlParameterCollection parameters, int group, List<(Queued Pending, int Index)> rows)
    {
        var shape = rows[0].Pending.Alongside!;
        var first = parameters.Count + 1;
        parameters.Add(PgArrays.Ints(rows.Select(r => r.Index)));
        for (var c = 0; c < shape.Columns.Count; c++)
            parameters.Add(ArrayOf(rows.Select(r => r.Pending.Alongside!.Values[c]).ToList()));
        var columns = Enumerable.Range(0, shape.Columns.Count).ToList();
        sql.Append(", w").Append(group).Append(" AS (INSERT INTO ").Append(shape.Table).Append(" (").AppendJoin(", ", shape.Columns).Append(") SELECT ")
            .AppendJoin(", ", columns.Select(c => "v.c" + c))
            .Append(" FROM unnest($").Append(first).AppendJoin("", columns.Select(c => ", $" + (first + 1 + c)))
            .Append(") AS v(t").AppendJoin("", columns.Select(c => ", c" + c))
            .Append(") JOIN r ON r.transfer_index = v.t AND r.account_id IS NULL AND r.outcome IN ('applied', 'repeated') ON CONFLICT DO NOTHING)");
    }

    /// <summary>A typed array of one column's values; types other than these make the batch fall back to single transfers.</summary>
    static NpgsqlParameter ArrayOf(List<object?> values)
    {
        static T[] All<T>(List<object?> values) where T : struct =>
            values.All(v => v is T) ? values.Select(v => (T)v!).ToArray() : throw new NotSupportedException("mixed or null values in a column");
        return values.FirstOrDefault(v => v is not null) switch
        {
            null or string => values.All(v => v is null or string)
                ? PgArrays.Texts(values.Select(v => (string?)v))
                : throw new NotSupportedException("mixed values in a column"),
            DateTimeOffset => PgArrays.Of(All<DateTimeOffset>(values), NpgsqlDbType.TimestampTz),
            long => PgArrays.Of(All<long>(values), NpgsqlDbType.Bigint),
            int => PgArrays.Of(All<int>(values), NpgsqlDbType.Integer),
            bool => PgArrays.Of(All<bool>(values), NpgsqlDbType.Boolean),
            var other => throw new NotSupportedException($"a {other.GetType().Name} column cannot be written in a batch"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _batches.DisposeAsync();
        await _connections.DisposeAsync();
    }

    /// <summary>A transfer waiting for its batch, with its fingerprint computed once.</summary>
    readonly record struct Queued(LedgerTransfer Transfer, LedgerWrite? Alongside, string Fingerprint);
}
