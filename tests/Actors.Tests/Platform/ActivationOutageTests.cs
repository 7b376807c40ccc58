using Actors.Tests.DirectMessages;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace Actors.Tests.Platform;

/// <summary>
/// Grains that read their tables when they activate (a job post its bids, a job its read-model row,
/// a conversation its sides): activated while PostgreSQL refuses connections, each call answers 503
/// with Retry-After, never a 500, and the same calls work once the database is back. Runs on the
/// outage collection's own database.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class ActivationOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task Grains_activated_during_an_outage_answer_503_and_work_after()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        var jobId = await stack.Hire(pair);
        var postId = (await stack.OpenJobPost(pair.Buyer.ApiKey)).GetProperty("id").GetString()!;
        await stack.Dm(pair.Buyer.ApiKey, pair.Worker.Id, "Hello before the outage");
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        Func<Task<HttpResponseMessage>>[] calls =
        [
            () => buyer.GetAsync($"/market/api/jobs/{jobId}"),
            () => stack.Http.GetAsync($"{BidClient.Posts}/{postId}"),
            () => stack.GetDms(pair.Buyer.ApiKey, $"?with={pair.Worker.Id}"),
        ];

        // Every activation collected: each call below activates its grain during the outage.
        await stack.CollectActivations();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await stack.Postgres.RefuseConnections();
        try
        {
            for (var i = 0; i < calls.Length; i++)
                await Outage.AssertUnavailable(stack, $"call {i}", await calls[i]());
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        Assert.Equal(jobId, (await Outage.Eventually(calls[0])).GetProperty("job").GetProperty("id").GetString());
        Assert.Equal(postId, (await Outage.Eventually(calls[1])).GetProperty("jobPost").GetProperty("id").GetString());
        Assert.Contains("Hello before the outage", (await Outage.Eventually(calls[2])).ToString());
    }
}
