using Actors.Grains.Platform;
using Actors.Grains.Offset;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Actors.Grains.Offset;

/// <summary>
/// Group commit for usage events, one per silo. Reports from the intake and from link grains
/// queue here; a few writer loops each take everything queued (up to a batch) and append it in
/// one statement (<see cref="Batcher{TItem, TResult}"/>), on a connection they keep
/// (<see cref="WriterConnections"/>). A report's task completes only when its
/// batch has committed, so an acknowledged report is durable. Under light load a batch is one
/// event (no added latency); under heavy load batches grow and the commits per second stay few.
/// With <c>Offset:UsageWriter:Mode = single</c> every event is its own transaction (the baseline).
/// </summary>
public sealed class UsageEventWriter : IAsyncDisposable
{
    readonly UsageEventStore _store;
    readonly Batcher<UsageRow, UsageAppend?>? _batches;
    readonly WriterConnections? _connections;

    public UsageEventWriter(UsageEventStore store, NpgsqlDataSource db, IOptions<OffsetOptions> options, ILogger<UsageEventWriter> logger)
    {
        _store = store;
        var settings = options.Value.UsageWriter;
        if (!settings.Grouped) return;
        var connections = _connections = new WriterConnections(db);
        _batches = new Batcher<UsageRow, UsageAppend?>(async rows =>
        {
            try
            {
                return await connections.Use(connection => store.InsertBatch(connection, rows));
            }
            catch (Exception e)
            {
                // The whole batch rolled back: every waiting report fails (and may be retried).
                logger.LogWarning(e, "Appending {Count} usage events failed", rows.Count);
                throw;
            }
        }, settings.MaxBatch, settings.Writers);
    }

    public bool Grouped => _batches is not null;

    /// <summary>
    /// Appends the row once its batch commits. Null only for a row with a reporting agent whose
    /// link is not in <c>reportable_links</c> (nothing was written).
    /// </summary>
    public async Task<UsageAppend?> Append(UsageRow row) =>
        _batches is null ? await _store.InsertOne(row) : await _batches.Submit(row);

    public async ValueTask DisposeAsync()
    {
        if (_batches is not null) await _batches.DisposeAsync();
        if (_connections is not null) await _connections.DisposeAsync();
    }
}
