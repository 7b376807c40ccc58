using System.Threading.Channels;
using Actors.Grains.Links;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Storage;

/// <summary>
/// Group commit for usage events, one per silo. Reports from any number of link grains queue
/// here; a few writer loops each take everything queued (up to a batch) and append it in one
/// statement. A report's task completes only when its batch has committed, so an acknowledged
/// report is durable. Under light load a batch is one event (no added latency); under heavy load
/// batches grow and the commits per second stay few.
/// With <c>Offset:UsageWriter:Mode = single</c> every event is its own transaction (the baseline).
/// </summary>
public sealed class UsageEventWriter : IAsyncDisposable
{
    readonly UsageEventStore _store;
    readonly ILogger<UsageEventWriter> _logger;
    readonly UsageWriterOptions _options;
    readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
    });
    readonly Task[] _loops;

    public UsageEventWriter(UsageEventStore store, IOptions<OffsetOptions> options, ILogger<UsageEventWriter> logger)
    {
        _store = store;
        _logger = logger;
        _options = options.Value.UsageWriter;
        Grouped = !string.Equals(_options.Mode, "single", StringComparison.OrdinalIgnoreCase);
        _loops = Grouped
            ? Enumerable.Range(0, Math.Clamp(_options.Writers, 1, 32)).Select(_ => Task.Run(WriteLoop)).ToArray()
            : [];
    }

    public bool Grouped { get; }

    /// <summary>
    /// Appends the row once its batch commits. Null only for a row with a reporting agent whose
    /// link is not in <c>reportable_links</c> (nothing was written).
    /// </summary>
    public async Task<UsageAppend?> Append(UsageRow row)
    {
        if (!Grouped) return await _store.InsertOne(row);
        var pending = new Pending(row);
        if (!_queue.Writer.TryWrite(pending)) await _queue.Writer.WriteAsync(pending);
        return await pending.Task;
    }

    async Task WriteLoop()
    {
        var maxBatch = Math.Clamp(_options.MaxBatch, 1, 10_000);
        var batch = new List<Pending>(maxBatch);
        var rows = new List<UsageRow>(maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < maxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
                rows.Add(next.Row);
            }
            if (batch.Count == 0) continue;
            try
            {
                var results = await _store.InsertBatch(rows);
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                // The whole batch rolled back: every waiting report fails (and may be retried).
                _logger.LogWarning(e, "Appending {Count} usage events failed", batch.Count);
                foreach (var pending in batch) pending.TrySetException(e);
            }
            batch.Clear();
            rows.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    /// <summary>A queued report; its task completes (on the thread pool, not the writer loop) when its batch commits.</summary>
    sealed class Pending(UsageRow row) : TaskCompletionSource<UsageAppend?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public UsageRow Row { get; } = row;
    }
}
