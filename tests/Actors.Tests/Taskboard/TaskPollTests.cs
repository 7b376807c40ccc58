using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The seed's poll: tasks with any of the skills (the agent's capabilities when none are given),
/// OPEN or IN_PROGRESS, a reward range, pages; bad filters named; 60 polls a minute per key.
/// Each test's tasks carry a reward no other test uses, so its filter sees only them.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskPollTests(ActorsStack stack)
{
    [Fact]
    public async Task A_poll_finds_tasks_with_any_of_the_skills_or_the_agents_capabilities()
    {
        using var client = await stack.FundedClient(4_000m);
        using var owner = await stack.SignUpClient();
        var writer = await stack.Agent(owner, ["WRITING"]);
        var reward = TaskParties.UniqueReward();
        var data = (await client.Posted(reward, ["DATA"])).Id();
        var design = (await client.Posted(reward, ["DESIGN"])).Id();
        var writing = (await client.Posted(reward, ["WRITING", "DATA"])).Id();
        var range = TaskParties.RewardFilter(reward);

        var byData = await stack.PolledUntil($"?skills=data&{range}", p => p.Ids().Length == 2);
        Assert.Equal([writing, data], byData.Ids());
        Assert.Equal(["DATA"], byData.GetProperty("polling").GetProperty("filters").GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonNull, byData.GetProperty("polling").GetProperty("agentId").ValueKind);
        var both = await stack.PolledUntil($"?skills=DESIGN,WRITING&{range}", p => p.Ids().Length == 2);
        Assert.Equal([writing, design], both.Ids());
        var all = await stack.PolledUntil($"?{range}", p => p.Ids().Length == 3);
        Assert.Equal([writing, design, data], all.Ids());

        var mine = await stack.PolledUntil($"?agentId={writer.AgentId.ToUpperInvariant()}&{range}", p => p.Ids().Length == 1, writer.ApiKey);
        Assert.Equal([writing], mine.Ids());
        Assert.Equal(writer.AgentId, mine.GetProperty("polling").GetProperty("agentId").GetString());
        Assert.Equal(["WRITING"], mine.GetProperty("polling").GetProperty("filters").GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        var given = await stack.PolledUntil($"?agentId={writer.AgentId}&skills=DESIGN&{range}", p => p.Ids().Length == 1, writer.ApiKey);
        Assert.Equal([design], given.Ids());

        var below = await stack.PolledUntil(FormattableString.Invariant($"?maxReward={reward - 0.01m}&minReward={reward - 0.01m}"), _ => true);
        Assert.DoesNotContain(data, below.Ids());
        var around = await stack.PolledUntil(FormattableString.Invariant($"?minReward={reward - 0.01m}&maxReward={reward + 0.01m}&limit=100"), p => p.Ids().Contains(data));
        Assert.Contains(data, around.Ids());
    }

    [Fact]
    public async Task A_poll_for_IN_PROGRESS_shows_live_claims_and_pages_tell_the_total()
    {
        using var client = await stack.FundedClient(3_000m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var reward = TaskParties.UniqueReward();
        var first = (await client.Posted(reward)).Id();
        var second = (await client.Posted(reward)).Id();
        var third = (await client.Posted(reward)).Id();
        await (await stack.Claim(second, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        var range = TaskParties.RewardFilter(reward);

        var claimed = await stack.PolledUntil($"?status=in_progress&{range}", p => p.Ids().Length == 1);
        Assert.Equal([second], claimed.Ids());
        var listed = claimed.GetProperty("tasks")[0];
        Assert.Equal("IN_PROGRESS", listed.Status());
        Assert.False(listed.GetProperty("links").TryGetProperty("claim", out _));
        Assert.Equal("IN_PROGRESS", claimed.GetProperty("polling").GetProperty("filters").GetProperty("status").GetString());

        var page = await stack.PolledUntil($"?status=OPEN&limit=1&{range}", p => p.GetProperty("pagination").GetProperty("total").GetInt32() == 2);
        Assert.Equal([third], page.Ids());
        Assert.True(page.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        var last = await stack.PolledUntil($"?limit=1&offset=1&{range}", p => p.Ids().Length == 1);
        Assert.Equal([first], last.Ids());
        Assert.Equal(2, last.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.False(last.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }

    [Theory]
    [InlineData("?skills=COOKING", "skills")]
    [InlineData("?skills=CODING,cooking", "skills")]
    [InlineData("?status=SUBMITTED", "status")]
    [InlineData("?minReward=-1", "minReward")]
    [InlineData("?maxReward=-1", "maxReward")]
    [InlineData("?minReward=5&maxReward=1", "minReward")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?offset=100001", "offset")]
    [InlineData("?agentId=not%20a%20handle", "agentId")]
    public async Task A_bad_filter_is_400_naming_it(string query, string field) =>
        await (await stack.PollFrom(query)).Refused(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task An_agent_never_connected_is_404()
    {
        var handle = "nobody-" + Guid.NewGuid().ToString("N")[..10];
        var refused = await (await stack.PollFrom($"?agentId={handle}")).Refused(HttpStatusCode.NotFound);
        Assert.Equal($"Agent '{handle}' not found: connect first", refused.GetProperty("error").GetString());
    }

    [Fact]
    public async Task More_than_sixty_polls_a_minute_from_one_key_are_429_with_Retry_After()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        using var http = stack.AsAgent(agent.ApiKey);

        for (var i = 0; i < 60; i++)
            await (await http.GetAsync($"{TaskboardClient.Base}/tasks?agentId={agent.AgentId}")).Expect(HttpStatusCode.OK);
        var limited = await http.GetAsync($"{TaskboardClient.Base}/tasks?agentId={agent.AgentId}");

        await limited.Refused(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "429 without Retry-After");
        // Another key is counted apart.
        var other = await stack.Agent(owner);
        await (await stack.PollFrom($"?agentId={other.AgentId}", other.ApiKey)).Expect(HttpStatusCode.OK);
    }

    const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
