using System.Threading.Channels;

namespace Actors.Grains.Platform;

/// <summary>
/// Sends items submitted concurrently together: a few loops each take everything queued (up to
/// <c>maxBatch</c>) and pass it to <c>send</c> in one call; each submitter gets its own result
/// once its batch is answered. Under light load a batch is one item (no added latency); under
/// heavy load batches grow while the number of calls stays small. If <c>send</c> throws, every
/// item of that batch fails with the exception.
/// </summary>
public sealed class Batcher<TItem, TResult> : IAsyncDisposable
{
    readonly Func<IReadOnlyList<TItem>, Task<TResult[]>> _send;
    readonly int _maxBatch;
    readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
    });
    readonly Task[] _loops;

    /// <param name="send">Answers the items in order: the result at index i belongs to item i.</param>
    /// <param name="maxBatch">Most items in one call.</param>
    /// <param name="inFlight">Calls under way at once: while one is answered, the next gathers.</param>
    public Batcher(Func<IReadOnlyList<TItem>, Task<TResult[]>> send, int maxBatch, int inFlight)
    {
        _send = send;
        _maxBatch = Math.Clamp(maxBatch, 1, 10_000);
        _loops = Enumerable.Range(0, Math.Clamp(inFlight, 1, 64)).Select(_ => Task.Run(SendLoop)).ToArray();
    }

    public Task<TResult> Submit(TItem item)
    {
        var pending = new Pending(item);
        return _queue.Writer.TryWrite(pending) ? pending.Task : Enqueue(pending);
    }

    async Task<TResult> Enqueue(Pending pending)
    {
        await _queue.Writer.WriteAsync(pending);
        return await pending.Task;
    }

    async Task SendLoop()
    {
        var batch = new List<Pending>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
                items.Add(next.Item);
            }
            if (batch.Count == 0) continue;
            try
            {
                var results = await _send(items);
                if (results.Length != batch.Count)
                    throw new InvalidOperationException($"A batch of {batch.Count} was answered with {results.Length} results");
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.TrySetException(e);
            }
            batch.Clear();
            items.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    /// <summary>A queued item; its task completes on the thread pool, not on the send loop.</summary>
    sealed class Pending(TItem item) : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public TItem Item { get; } = item;
    }
}
