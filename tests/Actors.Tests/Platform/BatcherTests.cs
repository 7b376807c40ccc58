using Actors.Grains.Platform;

namespace Actors.Tests.Platform;

/// <summary>The batching rule on its own: every submitter gets its own item's answer; a failed call fails only its batch.</summary>
public sealed class BatcherTests
{
    [Fact]
    public async Task Concurrent_submitters_each_get_the_answer_for_their_item_in_few_calls()
    {
        var calls = 0;
        await using var batcher = new Batcher<int, string>(async items =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(5);
            return items.Select(i => $"#{i}").ToArray();
        }, maxBatch: 50, inFlight: 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => batcher.Submit(i)));

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"#{i}"), answers);
        Assert.InRange(calls, 20, 999);
    }

    [Fact]
    public async Task A_failed_call_fails_its_own_items_and_later_batches_still_work()
    {
        await using var batcher = new Batcher<int, int>(items =>
            items.Contains(13) ? throw new InvalidOperationException("unlucky") : Task.FromResult(items.ToArray()),
            maxBatch: 1, inFlight: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.Submit(13));
        Assert.Equal(14, await batcher.Submit(14));
    }

    [Fact]
    public async Task An_answer_with_the_wrong_number_of_results_fails_the_batch()
    {
        await using var batcher = new Batcher<int, int>(_ => Task.FromResult(Array.Empty<int>()), maxBatch: 10, inFlight: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.Submit(1));
    }
}
