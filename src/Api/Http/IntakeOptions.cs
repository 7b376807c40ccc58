using Actors.Grains.Platform;

namespace Actors.Api.Http;

/// <summary>
/// How one kind of request travels from this API replica to the silo's intake grain in batches
/// (<see cref="Batcher{TItem, TResult}"/>); each surface that batches binds its own section
/// (<c>Offset:Intake</c>, <c>Access:Intake</c>).
/// </summary>
public sealed class IntakeOptions
{
    /// <summary>Most requests in one grain call.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Grain calls under way at once: while one is answered, the next batch gathers.</summary>
    public int InFlight { get; set; } = 2;

    public Batcher<TItem, TResult> StartBatcher<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<TResult[]>> send) =>
        new(send, MaxBatch, InFlight);
}
