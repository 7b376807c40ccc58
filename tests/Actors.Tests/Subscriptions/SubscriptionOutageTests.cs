using System.Diagnostics;
using System.Net;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using Actors.Tests.Platform;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

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
                await stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            await stack.Postgres.RefuseConnections();
            try
            {
                await AssertUnavailable("subscribe", await stack.Subscribe(late.ApiKey, new { serviceId = parties.ServiceId }));
                await AssertUnavailable("pause", await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "pause" }));
                await AssertUnavailable("list", await stack.ListSubscriptions(parties.Subscriber.ApiKey));
                var read = await stack.GetSubscription(parties.Subscriber.ApiKey, id);
                // An active grain may answer a read from what it holds; a cold one cannot.
                if (cold || !read.IsSuccessStatusCode) await AssertUnavailable("get", read);
                else Assert.Equal("ACTIVE", (await read.ReadJson()).GetProperty("subscription").GetProperty("status").GetString());
            }
            finally
            {
                await stack.Postgres.AllowConnections();
            }

            // Nothing of the refused calls was kept: the subscription is as it was, the late one never was.
            var subscription = await Eventually(() => stack.GetSubscription(parties.Subscriber.ApiKey, id));
            Assert.Equal("ACTIVE", subscription.GetProperty("subscription").GetProperty("status").GetString());
            var lateList = await Eventually(() => stack.ListSubscriptions(late.ApiKey));
            Assert.Empty(lateList.GetProperty("subscriptions").EnumerateArray());
            Assert.Equal(2_000, await stack.WalletBalance(late.ApiKey));
            Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        }

        // The same calls go through, once each.
        var created = await Eventually(() => stack.Subscribe(late.ApiKey, new { serviceId = parties.ServiceId }), HttpStatusCode.Created);
        Assert.Equal("ACTIVE", created.GetProperty("subscription").GetProperty("status").GetString());
        var paused = await Eventually(() => stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "pause" }));
        Assert.Equal("PAUSED", paused.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Single((await Eventually(() => stack.ListSubscriptions(late.ApiKey))).GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(1_000, await stack.WalletBalance(late.ApiKey));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
    }

    /// <summary>The call's answer once the database is back (503s waited out, up to 60 s); any other failure fails the test.</summary>
    static async Task<System.Text.Json.JsonElement> Eventually(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        while ((response = await call()).StatusCode == HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(500);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} after the outage, got {(int)response.StatusCode} {body}");
        return body;
    }

    static async Task AssertUnavailable(string call, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call}: expected 503, got {(int)response.StatusCode} {body}");
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{call}: 503 without Retry-After");
    }
}
