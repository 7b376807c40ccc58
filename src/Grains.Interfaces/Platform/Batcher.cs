using System.Threading.Channels;

namespace Actors.Grains.Platform;

/// <summary>
/// Sends items submitted concurrently together (group commit): a few loops each take everything
/// queued (up to <c>maxBatch</c>) and pass it to <c>send</c> in one call; each submitter gets its
/// own result once its batch is answered. Under light load a batch is one item (no added
/// latency); under heavy load batches grow while the number of calls stays small. Items submitted
/// together (<see cref="SubmitAll"/>) are a group, never split between batches: a batch may pass
/// <c>maxBatch</c> by less than one group. If <c>send</c> throws, every item of that batch it has
/// not answered fails with the exception; the next batches go on.
/// </summary>
public sealed class Batcher<TItem, TResult> : IAsyncDisposable
{
    readonly Func<Batch, Task> _send;
    readonly int _maxBatch;
    readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
    });
    readonly Task[] _loops;

    /// <param name="send">Answers the items in order: the result at index i belongs to item i.</param>
    /// <param name="maxBatch">Most items in one call.</param>
    /// <param name="inFlight">Calls under way at once: while one is answered, the next gathers.</param>
    public Batcher(Func<IReadOnlyList<TItem>, Task<TResult[]>> send, int maxBatch, int inFlight)
        : this(batch => AnswerInOrder(send, batch), maxBatch, inFlight)
    {
    }

    /// <param name="send">
    /// Answers each item of the batch on its own (<see cref="Batch.Complete"/>, <see cref="Batch.Fail"/>),
    /// in any order and as soon as it is known; an item still unanswered when the task completes fails.
    /// </param>
    /// <param name="maxBatch">Most items in one call (a group may pass it).</param>
    /// <param name="inFlight">Calls under way at once: while one is answered, the next gathers.</param>
    public Batcher(Func<Batch, Task> send, int maxBatch, int inFlight)
    {
        _send = send;
        _maxBatch = Math.Clamp(maxBatch, 1, 10_000);
        _loops = Enumerable.Range(0, Math.Clamp(inFlight, 1, 64)).Select(_ => Task.Run(SendLoop)).ToArray();
    }

    public Task<TResult> Submit(TItem item)
    {
        var pending = new Pending(item);
        return _queue.Writer.TryWrite(new Queued(pending, null)) ? pending.Task : Enqueue(pending);
    }

    /// <summary>
    /// Items that go into the same batch (one call for all of them, none waiting for a later one);
    /// each still gets its own result: the task at index i is item i's.
    /// </summary>
    public IReadOnlyList<Task<TResult>> SubmitAll(IReadOnlyList<TItem> items)
    {
        if (items.Count == 0) return [];
        var group = new Pending[items.Count];
        var tasks = new Task<TResult>[items.Count];
        for (var i = 0; i < group.Length; i++) tasks[i] = (group[i] = new Pending(items[i])).Task;
        if (!_queue.Writer.TryWrite(new Queued(null, group))) _ = Enqueue(group);
        return tasks;
    }

    async Task<TResult> Enqueue(Pending pending)
    {
        await _queue.Writer.WriteAsync(new Queued(pending, null));
        return await pending.Task;
    }

    async Task Enqueue(Pending[] group)
    {
        try { await _queue.Writer.WriteAsync(new Queued(null, group)); }
        catch (Exception e) { foreach (var pending in group) pending.TrySetException(e); }
    }

    async Task SendLoop()
    {
        var batch = new Batch(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var next))
            {
                if (next.One is { } one) batch.Add(one);
                else foreach (var pending in next.Group!) batch.Add(pending);
            }
            if (batch.Count == 0) continue;
            try
            {
                await _send(batch);
                batch.FailUnanswered(null);
            }
            catch (Exception e)
            {
                batch.FailUnanswered(e);
            }
            batch.Clear();
        }
    }

    static async Task AnswerInOrder(Func<IReadOnlyList<TItem>, Task<TResult[]>> send, Batch batch)
    {
        var results = await send(batch.Items);
        if (results.Length != batch.Count)
            throw new InvalidOperationException($"A batch of {batch.Count} was answered with {results.Length} results");
        for (var i = 0; i < results.Length; i++) batch.Complete(i, results[i]);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    /// <summary>
    /// The items of one call, in the order they were queued, and their answers. Valid only until
    /// the call's task completes (a loop reuses it for its next batch).
    /// </summary>
    public sealed class Batch
    {
        readonly List<Pending> _pending;
        readonly List<TItem> _items;

        internal Batch(int capacity)
        {
            _pending = new List<Pending>(capacity);
            _items = new List<TItem>(capacity);
        }

        public IReadOnlyList<TItem> Items => _items;

        public int Count => _items.Count;

        /// <summary>Item <paramref name="index"/>'s result; its submitter continues on the thread pool.</summary>
        public void Complete(int index, TResult result) => _pending[index].TrySetResult(result);

        /// <summary>Item <paramref name="index"/> fails alone.</summary>
        public void Fail(int index, Exception error) => _pending[index].TrySetException(error);

        internal void Add(Pending pending)
        {
            _pending.Add(pending);
            _items.Add(pending.Item);
        }

        internal void FailUnanswered(Exception? error)
        {
            foreach (var pending in _pending)
                if (!pending.Task.IsCompleted)
                    pending.TrySetException(error ??= new InvalidOperationException("A batch was sent without an answer for every item"));
        }

        internal void Clear()
        {
            _pending.Clear();
            _items.Clear();
        }
    }

    /// <summary>What the queue holds: one item, or a group that goes into one batch.</summary>
    readonly record struct Queued(Pending? One, Pending[]? Group);

    /// <summary>A queued item; its task completes on the thread pool, not on the send loop.</summary>
    internal sealed class Pending(TItem item) : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public TItem Item { get; } = item;
    }
}
