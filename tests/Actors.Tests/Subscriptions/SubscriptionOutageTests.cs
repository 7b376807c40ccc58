using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using Actors.Tests.Platform;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// Subscriptions while PostgreSQL refuses connections: subscribing, reading, listing and changing
/// answer 503 with Retry-After (never a 500) and nothing is half-written; once the database is back
/// the same calls work. Runs on the outage collection's own database (counted over HTTP afterwards:
/// the test's own pooled connections were cut by the outage too).
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class SubscriptionOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task While_the_database_is_away_subscriptions_answer_503_and_afterwards_they_work_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var id = (await stack.Subscribed(parties)).Id();
        var late = await stack.RegisterAgent();
        await stack.FundWallet(late.ApiKey, 2_000);

        // First with the grains active, then with every activation gone (each call must load its state).
        foreach (var cold in new[] { false, true })
        {
            if (cold)
            {
                await stack.CollectActivations();
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            await stack.Postgres.RefuseConnections();
            try
            {
                await Outage.AssertUnavailable(stack, "subscribe", await stack.Subscribe(late.ApiKey, new { serviceId = parties.ServiceId }));
                await Outage.AssertUnavailable(stack, "pause", await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "pause" }));
                await Outage.AssertUnavailable(stack, "list", await stack.ListSubscriptions(parties.Subscriber.ApiKey));
                var read = await stack.GetSubscription(parties.Subscriber.ApiKey, id);
                // An active grain may answer a read from what it holds; a cold one cannot.
                if (cold || !read.IsSuccessStatusCode) await Outage.AssertUnavailable(stack, "get", read);
                else Assert.Equal("ACTIVE", (await read.ReadJson()).GetProperty("subscription").GetProperty("status").GetString());
            }
            finally
            {
                await stack.Postgres.AllowConnections();
            }

            // Nothing of the refused calls was kept: the subscription is as it was, the late one never was.
            var subscription = await Outage.Eventually(() => stack.GetSubscription(parties.Subscriber.ApiKey, id));
            Assert.Equal("ACTIVE", subscription.GetProperty("subscription").GetProperty("status").GetString());
            var lateList = await Outage.Eventually(() => stack.ListSubscriptions(late.ApiKey));
            Assert.Empty(lateList.GetProperty("subscriptions").EnumerateArray());
            Assert.Equal(2_000, await stack.WalletBalance(late.ApiKey));
            Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        }

        // The same calls go through, once each.
        var created = await Outage.Eventually(() => stack.Subscribe(late.ApiKey, new { serviceId = parties.ServiceId }), HttpStatusCode.Created);
        Assert.Equal("ACTIVE", created.GetProperty("subscription").GetProperty("status").GetString());
        var paused = await Outage.Eventually(() => stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "pause" }));
        Assert.Equal("PAUSED", paused.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Single((await Outage.Eventually(() => stack.ListSubscriptions(late.ApiKey))).GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(1_000, await stack.WalletBalance(late.ApiKey));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
    }
}
