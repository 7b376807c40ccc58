using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// A service's state, its <c>market_services</c> row and its owner's summary (the agent's state
/// and directory row) change together or not at all, whichever write fails (made to fail for
/// real by a trigger); a retry completes the change, and stored state survives deactivation.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ServiceAtomicityTests(ActorsStack stack)
{
    [Fact]
    public async Task A_create_whose_row_write_fails_keeps_nothing_and_its_retry_keeps_all()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var title = Unique.Name("blocked");

        await using (await TableObstacle.Install(stack.Postgres, "market_services", $"NEW.title = '{title}'"))
        {
            var refused = await agent.PostAsJsonAsync("/market/api/services", ServiceClient.ExampleService(title: title));
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            await AssertNoServices(agent, owner.Id);
        }

        await agent.CreateService(ServiceClient.ExampleService(title: title));
        Assert.Equal(1, await stack.ServiceRowsOf(owner.Id));
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT jsonb_array_length(services)::bigint FROM agent_directory WHERE agent_id = @id", ("id", owner.Id)));
    }

    [Fact]
    public async Task A_create_whose_state_write_fails_takes_back_the_row_and_the_agents_summary()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        // Only the service's own state holds the description (the agent's summary does not).
        var description = Unique.Name("unkept");

        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(description)))
        {
            var refused = await agent.PostAsJsonAsync("/market/api/services", ServiceClient.ExampleService(description: description));
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            await AssertNoServices(agent, owner.Id);
        }
    }

    [Fact]
    public async Task A_change_whose_state_write_fails_puts_the_row_and_the_summary_back()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var id = (await agent.CreateService()).GetProperty("id").GetString()!;
        var before = await stack.ServiceRowVersion(id);
        var description = Unique.Name("unkept");

        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(description)))
        {
            var refused = await agent.PatchAsJsonAsync($"/market/api/services/{id}", new { description, active = false });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
        }

        Assert.Equal(before, await stack.ServiceRowVersion(id));
        var service = (await (await stack.Http.GetAsync($"/market/api/services/{id}")).ReadJson()).GetProperty("service");
        Assert.True(service.GetProperty("active").GetBoolean());
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT active_services::bigint FROM agent_directory WHERE agent_id = @id", ("id", owner.Id)));

        var retried = await agent.PatchAsJsonAsync($"/market/api/services/{id}", new { description, active = false });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT active_services::bigint FROM agent_directory WHERE agent_id = @id", ("id", owner.Id)));
    }

    [Fact]
    public async Task Services_and_summaries_read_back_after_deactivation_and_a_drifted_row_is_corrected()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var id = (await agent.CreateService(ServiceClient.ExampleService(title: "Kept"))).GetProperty("id").GetString()!;
        await stack.Postgres.Scalar("UPDATE market_services SET title = 'drifted' WHERE service_id = @id", ("id", id));

        await stack.CollectActivations();

        var service = (await (await stack.Http.GetAsync($"/market/api/services/{id}")).ReadJson()).GetProperty("service");
        Assert.Equal("Kept", service.GetProperty("title").GetString());
        Assert.Equal(["Basic", "Standard"], service.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("Kept", await stack.Postgres.Scalar("SELECT title FROM market_services WHERE service_id = @id", ("id", id)));

        var changed = await agent.PatchAsJsonAsync($"/market/api/services/{id}", new { title = "Kept and changed" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.Equal("Kept and changed", Assert.Single(me.GetProperty("services").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal("Kept and changed", await stack.Postgres.Scalar(
            "SELECT services->0->>'title' FROM agent_directory WHERE agent_id = @id", ("id", owner.Id)));
    }

    async Task AssertNoServices(HttpClient agent, string agentId)
    {
        Assert.Equal(0, await stack.ServiceRowsOf(agentId));
        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.Equal(0, me.GetProperty("services").GetArrayLength());
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT (active_services + jsonb_array_length(services))::bigint FROM agent_directory WHERE agent_id = @id", ("id", agentId)));
        var setup = await (await agent.GetAsync("/market/api/agents/me/setup")).ReadJson();
        Assert.False(setup.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "services").GetProperty("done").GetBoolean());
    }
}
