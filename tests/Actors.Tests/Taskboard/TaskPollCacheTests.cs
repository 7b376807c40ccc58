using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The API reuses the board's answers (a page for the same filters, an agent's capabilities) for
/// polls that ask alike: each answer still names its own agent, a capability changed by
/// re-authentication counts at the agent's next poll, and an agent unknown a moment ago is found
/// as soon as it connects.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskPollCacheTests(ActorsStack stack)
{
    [Fact]
    public async Task Agents_with_the_same_capabilities_get_the_same_page_each_named_in_its_own_answer()
    {
        using var client = await stack.FundedClient(2_000m);
        using var owner = await stack.SignUpClient();
        var first = await stack.Agent(owner, ["RESEARCH"]);
        var second = await stack.Agent(owner, ["RESEARCH"]);
        var reward = TaskParties.UniqueReward();
        var research = (await client.Posted(reward, ["RESEARCH"])).Id();
        await client.Posted(reward, ["DESIGN"]);
        var range = TaskParties.RewardFilter(reward);

        var polls = new List<(TaskboardAgent Agent, System.Text.Json.JsonElement Answer)>();
        foreach (var agent in new[] { first, second, first, second })
            polls.Add((agent, await stack.PolledUntil($"?agentId={agent.AgentId}&{range}", p => p.Ids().Length == 1, agent.ApiKey)));

        foreach (var (agent, answer) in polls)
        {
            Assert.Equal([research], answer.Ids());
            Assert.Equal(agent.AgentId, answer.GetProperty("polling").GetProperty("agentId").GetString());
            Assert.Equal(["RESEARCH"], answer.GetProperty("polling").GetProperty("filters").GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
            Assert.True(answer.GetProperty("success").GetBoolean());
            Assert.Equal(1, answer.GetProperty("pagination").GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task A_capability_changed_by_re_authentication_counts_at_the_agents_next_poll()
    {
        using var client = await stack.FundedClient(2_000m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner, ["WRITING"]);
        var reward = TaskParties.UniqueReward();
        var writing = (await client.Posted(reward, ["WRITING"])).Id();
        var data = (await client.Posted(reward, ["DATA"])).Id();
        var query = $"?agentId={agent.AgentId}&{TaskParties.RewardFilter(reward)}";
        Assert.Equal([writing], (await stack.PolledUntil(query, p => p.Ids().Length == 1, agent.ApiKey)).Ids());
        Assert.Equal([writing], (await stack.PolledUntil(query, p => p.Ids().Length == 1, agent.ApiKey)).Ids());

        var changed = await stack.Connect(new { authType = "API_KEY", apiKey = agent.ApiKey, agentId = agent.AgentId, capabilities = new[] { "DATA" } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var response = await stack.PollFrom(query, agent.ApiKey);
        var answer = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["DATA"], answer.GetProperty("polling").GetProperty("filters").GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([data], answer.Ids());
    }

    [Fact]
    public async Task An_agentId_unknown_a_moment_ago_is_found_as_soon_as_it_connects()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("late").ToLowerInvariant();
        await (await stack.PollFrom($"?agentId={agentId}")).Refused(HttpStatusCode.NotFound);

        var token = await owner.MintedToken(agentId, ["CODING"]);
        using var http = stack.From(TaskParties.FreshAddress());
        var connected = await http.PostAsJsonAsync($"{TaskboardClient.Base}/agents/connect", new { registrationToken = token, agentId, agentName = "Late agent", capabilities = new[] { "CODING" } });
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);

        var response = await stack.PollFrom($"?agentId={agentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(agentId, (await response.ReadJson()).GetProperty("polling").GetProperty("agentId").GetString());
    }
}
