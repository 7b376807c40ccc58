using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Platform;

/// <summary>The outage stops this collection's own database: the shared stack's tests never see it.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseAbsenceCollection : ICollectionFixture<ActorsStack>
{
    public const string Name = "database-absence";
}

/// <summary>
/// While PostgreSQL refuses connections every call is a 503 with Retry-After (never a 500), both
/// processes are unready; once it takes connections again the same calls succeed, nothing restarted.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class DatabaseAbsenceTests(ActorsStack stack)
{
    /// <summary>A call, and whether it needs the database even when every grain it reaches is active (a table read or write).</summary>
    sealed record Call(string Name, Func<Task<HttpResponseMessage>> Send, bool ReadsTables);

    [Fact]
    public async Task While_the_database_refuses_connections_calls_are_503_with_retry_after_and_succeed_again_after()
    {
        var market = await stack.RegisterAgent();
        using var marketAgent = stack.AsAgent(market.ApiKey);
        var (offset, linkId, _) = await stack.ApprovedLink();
        var machine = await stack.RegisterMachine();
        using var memory = stack.AsAgent(machine.ApiKey);
        await memory.Store("kept before the outage");
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        Assert.True((await subscriber.Http.AuthorizeRetrieval(article)).IsSuccessStatusCode);
        using var silo = new HttpClient { BaseAddress = stack.SiloUrl };

        Call[] calls =
        [
            new("memory create", () => memory.Remember("written once the database is back"), true),
            new("memory list", () => memory.GetAsync($"{MemoryClient.Base}/memories"), true),
            new("memory auto-register", () => stack.Http.PostAsJsonAsync($"{MemoryClient.Base}/agents/auto-register",
                new { machine_fingerprint = MemoryClient.NewFingerprint(), platform = "linux", hostname = "outage" }), true),
            new("market register", () => stack.Http.PostAsJsonAsync("/market/api/agents/register",
                new { name = Unique.Name("outage"), description = "registered around an outage" }), true),
            new("market me", () => marketAgent.GetAsync("/market/api/agents/me"), false),
            new("offset link-status", () => offset.LinkStatus(linkId), false),
            new("offset usage-summary", () => offset.UsageSummary(linkId), true),
            new("offset report-usage", () => offset.ReportUsage(linkId, clientEventId: Guid.NewGuid().ToString("N")), true),
            new("access authorize", () => subscriber.Http.AuthorizeRetrieval(article), true),
            new("access subscription status", () => subscriber.Http.GetAsync(AccessClient.SubscriptionStatus), false),
        ];

        // First with every activation gone (and the API's one-second key cache run out): each call
        // has to load grain state, from the API key on.
        await stack.CollectActivations();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await Outage(async () =>
        {
            foreach (var call in calls) await Infrastructure.Outage.AssertUnavailable(stack, call.Name, await call.Send());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await stack.Http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await silo.GetAsync("/health/ready")).StatusCode);
        });
        await Recovered(calls, silo);

        // Then with the grains active: a call that needs a table is a 503 from the grain's store; one
        // that an active grain answers from its state may succeed, but nothing is a 500.
        await Outage(async () =>
        {
            foreach (var call in calls)
            {
                var response = await call.Send();
                if (call.ReadsTables || !response.IsSuccessStatusCode) await Infrastructure.Outage.AssertUnavailable(stack, call.Name, response);
            }
        });
        await Recovered(calls, silo);

        // What was stored before the outages is still what the grains answer from.
        var memories = await (await memory.GetAsync($"{MemoryClient.Base}/memories")).ReadJson();
        Assert.Contains("kept before the outage", memories.ToString());
        var status = await (await offset.LinkStatus(linkId)).ReadJson();
        Assert.Equal("approved", status.GetProperty("status").GetString());
        var me = await (await marketAgent.GetAsync("/market/api/agents/me")).ReadJson();
        Assert.Equal(market.Name, me.GetProperty("agent").GetProperty("name").GetString());
    }

    async Task Outage(Func<Task> during)
    {
        await stack.Postgres.RefuseConnections();
        try
        {
            await during();
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }
    }


    /// <summary>Pools reconnect by themselves: every call succeeds again within a bounded wait, nothing restarted.</summary>
    async Task Recovered(Call[] calls, HttpClient silo)
    {
        var pending = calls.ToList();
        var last = new Dictionary<string, string>();
        var clock = Stopwatch.StartNew();
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var call in pending.ToList())
            {
                var response = await call.Send();
                if (response.IsSuccessStatusCode) { pending.Remove(call); continue; }
                last[call.Name] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call.Name} after the outage: {last[call.Name]}");
            }
            if (pending.Count > 0) await Task.Delay(500);
        }
        Assert.True(pending.Count == 0, "still failing after the outage: " +
            string.Join("; ", pending.Select(c => $"{c.Name}: {last.GetValueOrDefault(c.Name)}")));
        Assert.Equal(HttpStatusCode.OK, (await stack.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.GetAsync("/health/ready")).StatusCode);
    }
}
