using Actors.Grains.Platform;

namespace Actors.UnitTests.Platform;

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

    [Fact]
    public async Task A_group_is_never_split_between_batches_and_a_batch_passes_the_limit_by_less_than_one_group()
    {
        var batches = new List<int[]>();
        var first = new TaskCompletionSource();
        await using var batcher = new Batcher<int, int>(async items =>
        {
            lock (batches) batches.Add([.. items]);
            await first.Task; // the first batch holds the loop while the groups queue up behind it
            return [.. items];
        }, maxBatch: 4, inFlight: 1);

        var lone = batcher.Submit(0);
        while (batches.Count == 0) await Task.Delay(1);
        var groups = new[] { new[] { 1, 2, 3 }, new[] { 4, 5, 6 }, new[] { 7 }, new[] { 8, 9, 10, 11, 12 } };
        var answers = groups.Select(group => batcher.SubmitAll(group)).ToList();
        first.SetResult();

        Assert.Equal(0, await lone);
        for (var g = 0; g < groups.Length; g++) Assert.Equal(groups[g], await Task.WhenAll(answers[g]));
        Assert.All(groups, group => Assert.Single(batches, batch => batch.Intersect(group).Any()));
        Assert.All(groups, group => Assert.Contains(batches, batch => group.All(batch.Contains)));
        Assert.All(batches, batch => Assert.InRange(batch.Length, 1, 4 + 5 - 1));
        Assert.Equal(new[] { new[] { 0 }, [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12] }, batches);
    }

    [Fact]
    public async Task A_send_answers_each_item_alone_and_an_item_it_leaves_unanswered_fails()
    {
        await using var batcher = new Batcher<int, string>(batch =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.Items[i] == 2) batch.Fail(i, new InvalidOperationException("two"));
                else if (batch.Items[i] != 3) batch.Complete(i, $"#{batch.Items[i]}");
            }
            return Task.CompletedTask;
        }, maxBatch: 10, inFlight: 1);

        var answers = batcher.SubmitAll([1, 2, 3, 4]);

        Assert.Equal("#1", await answers[0]);
        Assert.Equal("two", (await Assert.ThrowsAsync<InvalidOperationException>(() => answers[1])).Message);
        Assert.Contains("without an answer", (await Assert.ThrowsAsync<InvalidOperationException>(() => answers[2])).Message);
        Assert.Equal("#4", await answers[3]);
        Assert.Empty(batcher.SubmitAll([]));
    }

    [Fact]
    public async Task A_send_that_throws_fails_only_the_items_of_its_batch_it_had_not_answered()
    {
        var first = new TaskCompletionSource();
        await using var batcher = new Batcher<int, int>(async batch =>
        {
            await first.Task;
            batch.Complete(0, batch.Items[0]);
            if (batch.Items.Contains(13)) throw new InvalidOperationException("unlucky");
            for (var i = 1; i < batch.Count; i++) batch.Complete(i, batch.Items[i]);
        }, maxBatch: 2, inFlight: 1);

        var unlucky = batcher.SubmitAll([12, 13]);
        var lucky = batcher.SubmitAll([14, 15]);
        first.SetResult();

        Assert.Equal(12, await unlucky[0]);
        Assert.Equal("unlucky", (await Assert.ThrowsAsync<InvalidOperationException>(() => unlucky[1])).Message);
        Assert.Equal(new[] { 14, 15 }, await Task.WhenAll(lucky));
        Assert.Equal(16, await batcher.Submit(16));
    }
}
