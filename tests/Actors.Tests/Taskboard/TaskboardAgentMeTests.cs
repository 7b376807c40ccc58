using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// GET /taskboard/api/agents/me: the agent of the key, its counts and earnings from the tasks table;
/// and the owner's list of its agents (GET /taskboard/api/client/agents).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardAgentMeTests(ActorsStack stack)
{
    const string MePath = $"{TaskboardClient.Base}/agents/me";

    [Fact]
    public async Task Me_answers_the_agent_of_the_key()
    {
        using var owner = await stack.SignUpClient();
        var endpoint = $"https://{Guid.NewGuid():N}.example.com/hook";
        var agent = await stack.ConnectAgent(owner, capabilities: ["DESIGN", "GENERAL"], endpoint: endpoint);
        using var http = stack.AsAgent(agent.ApiKey);

        var response = await http.GetAsync(MePath);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var me = body.GetProperty("agent");
        Assert.Equal(agent.AgentId, me.GetProperty("agentId").GetString());
        Assert.Equal($"Agent {agent.AgentId}", me.GetProperty("name").GetString());
        Assert.Equal(["DESIGN", "GENERAL"], me.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(endpoint, me.GetProperty("endpoint").GetString());
        Assert.Equal(owner.UserId, me.GetProperty("ownerId").GetString());
        Assert.Equal(0, me.GetProperty("karma").GetInt32());
        Assert.Equal(0, me.GetProperty("tasksCompleted").GetInt32());
        Assert.Equal(0, me.GetProperty("tasksInProgress").GetInt32());
        Assert.Equal(0m, me.GetProperty("earnings").GetProperty("amount").GetDecimal());
        Assert.Equal("USDC", me.GetProperty("earnings").GetProperty("token").GetString());
        Assert.True(me.TryGetProperty("connectedAt", out _));
    }

    [Fact]
    public async Task Karma_counts_and_earnings_come_from_the_tasks_the_agent_claimed()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        var other = await stack.ConnectAgent(owner);
        // The tasks' read model as the task grains write it: only rows claimed by this agentId count.
        // No skills, no OPEN row: no poll of the other tests matches these grain-less rows.
        await Task(agent.AgentId, "COMPLETED", earned: 9_000);
        await Task(agent.AgentId, "COMPLETED", earned: 4_550);
        await Task(agent.AgentId, "REJECTED");
        await Task(agent.AgentId, "IN_PROGRESS");
        await Task(agent.AgentId, "SUBMITTED");
        await Task(agent.AgentId, "CANCELLED");
        await Task(null, "CANCELLED");
        await Task(other.AgentId, "COMPLETED", earned: 100_000);
        using var http = stack.AsAgent(agent.ApiKey);

        var me = (await (await http.GetAsync(MePath)).ReadJson()).GetProperty("agent");

        Assert.Equal(2, me.GetProperty("tasksCompleted").GetInt32());
        Assert.Equal(1, me.GetProperty("tasksRejected").GetInt32());
        Assert.Equal(2, me.GetProperty("tasksInProgress").GetInt32());
        Assert.Equal(2 * 10 - 5, me.GetProperty("karma").GetInt32());
        Assert.Equal(135.5m, me.GetProperty("earnings").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Karma_never_goes_below_zero()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        await Task(agent.AgentId, "REJECTED");
        await Task(agent.AgentId, "REJECTED");
        using var http = stack.AsAgent(agent.ApiKey);

        var me = (await (await http.GetAsync(MePath)).ReadJson()).GetProperty("agent");

        Assert.Equal(2, me.GetProperty("tasksRejected").GetInt32());
        Assert.Equal(0, me.GetProperty("karma").GetInt32());
    }

    [Fact]
    public async Task An_identity_never_connected_on_the_taskboard_is_404_no_key_or_a_bad_one_401()
    {
        var market = await stack.RegisterAgent();
        using var marketAgent = stack.AsAgent(market.ApiKey);
        using var forged = stack.AsAgent("atk_" + new string('x', 40));

        var notConnected = await marketAgent.GetAsync(MePath);
        var noKey = await stack.Http.GetAsync(MePath);
        var badKey = await forged.GetAsync(MePath);

        Assert.Equal(HttpStatusCode.NotFound, notConnected.StatusCode);
        Assert.False((await notConnected.ReadJson()).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.False((await noKey.ReadJson()).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
    }

    [Fact]
    public async Task The_owner_lists_its_own_agents_newest_first()
    {
        using var owner = await stack.SignUpClient();
        using var other = await stack.SignUpClient();
        var first = await stack.ConnectAgent(owner);
        stack.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await stack.ConnectAgent(owner, capabilities: ["DATA"]);
        var foreign = await stack.ConnectAgent(other);

        var response = await owner.Http.GetAsync($"{TaskboardClient.Base}/client/agents");

        var agents = (await response.ReadJson()).GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([second.AgentId, first.AgentId], agents.Select(a => a.GetProperty("agentId").GetString()));
        Assert.Equal(["DATA"], agents[0].GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain(foreign.AgentId, agents.Select(a => a.GetProperty("agentId").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.GetAsync($"{TaskboardClient.Base}/client/agents")).StatusCode);
    }

    async Task Task(string? claimedBy, string status, long earned = 0)
    {
        var now = stack.Clock.GetUtcNow();
        await stack.Postgres.Scalar("""
            INSERT INTO taskboard_tasks (task_id, client_id, title, skills, reward_cents, status, claimed_by, lease_expires_at, review_due_at,
                agent_earned_cents, created_at, updated_at)
            VALUES (@id, 'usr_me_test', 'A task', '{}', 10000, @status, @claimedBy, @lease, @review, @earned, @now, @now)
            """,
            ("id", "task_" + Guid.NewGuid().ToString("N")[..24]), ("status", status), ("claimedBy", (object?)claimedBy ?? DBNull.Value),
            // Far off: no sweep of the task grains wakes these rows during the run.
            ("lease", status == "IN_PROGRESS" ? now.AddYears(50) : DBNull.Value), ("review", status == "SUBMITTED" ? now.AddYears(50) : DBNull.Value),
            ("earned", earned), ("now", now));
    }
}
