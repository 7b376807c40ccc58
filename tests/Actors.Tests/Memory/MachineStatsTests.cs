using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Memory;

[Collection(StackCollection.Name)]
public sealed class MachineStatsTests(ActorsStack stack)
{
    [Fact]
    public async Task Stats_count_memories_projects_storage_and_the_last_days_calls()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);

        var fresh = await (await agent.Stats(machine.Fingerprint)).Data();
        Assert.Equal(0, fresh.GetProperty("total_memories").GetInt64());
        Assert.Equal(1, fresh.GetProperty("total_projects").GetInt64());
        Assert.Equal(1, fresh.GetProperty("api_calls_24h").GetInt64());
        Assert.Equal("0B", fresh.GetProperty("storage_used").GetString());
        Assert.EndsWith("Z", fresh.GetProperty("created_at").GetString());

        await agent.Store(new string('x', 2560), "one");
        await agent.Store("short", "two");
        await agent.GetAsync("/memory/api/v1/memories");

        var stats = await (await agent.Stats(machine.Fingerprint)).Data();
        Assert.Equal(2, stats.GetProperty("total_memories").GetInt64());
        Assert.Equal(3, stats.GetProperty("total_projects").GetInt64());
        Assert.Equal(5, stats.GetProperty("api_calls_24h").GetInt64());
        Assert.Equal("2.5KB", stats.GetProperty("storage_used").GetString());

        stack.Clock.Advance(TimeSpan.FromHours(25));
        var dayLater = await (await agent.Stats(machine.Fingerprint)).Data();
        Assert.Equal(1, dayLater.GetProperty("api_calls_24h").GetInt64());
        Assert.Equal(2, dayLater.GetProperty("total_memories").GetInt64());
    }

    [Fact]
    public async Task Only_the_machines_own_key_reads_its_stats()
    {
        var machine = await stack.RegisterMachine();
        var other = await stack.RegisterMachine();
        using var otherAgent = stack.AsAgent(other.ApiKey);

        await (await stack.Http.Stats(machine.Fingerprint)).AssertError(HttpStatusCode.Unauthorized);
        await (await otherAgent.Stats(machine.Fingerprint)).AssertError(HttpStatusCode.NotFound);
        await (await otherAgent.Stats(MemoryClient.NewFingerprint())).AssertError(HttpStatusCode.NotFound);
        await (await otherAgent.GetAsync("/memory/api/v1/agents/machine-stats")).AssertError(HttpStatusCode.BadRequest, "machine_fingerprint");

        // The refused reads were not counted as the machine's calls: its own first read is its only one.
        using var agent = stack.AsAgent(machine.ApiKey);
        Assert.Equal(1, (await (await agent.Stats(machine.Fingerprint)).Data()).GetProperty("api_calls_24h").GetInt64());
    }
}
