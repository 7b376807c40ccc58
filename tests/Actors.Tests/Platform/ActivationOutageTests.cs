using Actors.Grains.DirectMessages;
using Actors.Grains.Platform;
using Actors.Tests.DirectMessages;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Platform;

/// <summary>The outage stops this collection's own database: the shared stack's tests never see it.</summary>
[CollectionDefinition(Name)]
public sealed class ActivationOutageCollection : ICollectionFixture<ActorsStack>
{
    public const string Name = "activation-outage";
}

/// <summary>
/// Grains that read their tables when they activate (a job its read-model row, a job post its
/// bids, a conversation its sides): activated while PostgreSQL refuses connections, each call is
/// a 503 with Retry-After, never a 500, and works once the database is back. One outage for all.
/// </summary>
[Collection(ActivationOutageCollection.Name)]
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
        // The conversation keeps no grain state: activating it is its own read of its rows, which
        // the HTTP route does not reach during an outage (its directory lookup fails first). So it
        // is also called as the API calls it, over the gateway, where the exception is serialized.
        var conversation = stack.ApiServices.GetRequiredService<IClusterClient>()
            .GetGrain<IConversationGrain>(DirectMessageRules.ConversationId(pair.Buyer.Id, pair.Worker.Id));

        // Every activation collected: each call below activates its grain during the outage.
        await stack.CollectActivations();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await stack.Postgres.RefuseConnections();
        try
        {
            for (var i = 0; i < calls.Length; i++)
                await Outage.AssertUnavailable(stack, $"call {i}", await calls[i]());
            await Assert.ThrowsAsync<StorageUnavailableException>(() => conversation.Read(
                new DmParticipant(pair.Buyer.Id, pair.Buyer.Name), new DmParticipant(pair.Worker.Id, pair.Worker.Name), 10, null));
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
