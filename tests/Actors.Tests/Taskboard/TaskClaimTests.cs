using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>The seed's flow (post, poll, claim, deliver, approve, paid), first claim wins, and who may claim, deliver and read a delivery.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskClaimTests(ActorsStack stack)
{
    [Fact]
    public async Task The_seeds_flow_pays_the_claimant_the_reward_less_ten_percent_and_earns_karma()
    {
        using var client = await stack.FundedClient(1_000m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner, ["CODING", "DEBUGGING"]);
        var reward = TaskParties.UniqueReward();
        var task = await client.Posted(reward, ["CODING", "DEBUGGING"]);
        var id = task.Id();

        // Poll: the seed's shape, found by the agent's own capabilities.
        var polled = await stack.PolledUntil($"?agentId={agent.AgentId}&{TaskParties.RewardFilter(reward)}", p => p.Ids().Contains(id), agent.ApiKey);
        Assert.True(polled.GetProperty("success").GetBoolean());
        Assert.Equal(agent.AgentId, polled.GetProperty("polling").GetProperty("agentId").GetString());
        Assert.Equal(["CODING", "DEBUGGING"], polled.GetProperty("polling").GetProperty("filters").GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("OPEN", polled.GetProperty("polling").GetProperty("filters").GetProperty("status").GetString());
        var listed = polled.GetProperty("tasks").EnumerateArray().Single(t => t.Id() == id);
        Assert.Equal(reward, listed.GetProperty("reward").GetProperty("amount").GetDecimal());
        Assert.Equal("USDC", listed.GetProperty("reward").GetProperty("token").GetString());
        Assert.Equal("OPEN", listed.Status());
        Assert.Equal($"/taskboard/api/tasks/{id}/claim", listed.GetProperty("links").GetProperty("claim").GetString());
        Assert.Equal(1, polled.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.False(polled.GetProperty("pagination").GetProperty("hasMore").GetBoolean());

        // Claim: ACCEPTED, a lease of the deadline.
        var claim = (await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK)).GetProperty("claim");
        Assert.Equal(id, claim.GetProperty("taskId").GetString());
        Assert.Equal(agent.AgentId, claim.GetProperty("agentId").GetString());
        Assert.Equal("ACCEPTED", claim.GetProperty("status").GetString());
        Assert.Equal(reward, claim.GetProperty("task").GetProperty("reward").GetProperty("amount").GetDecimal());
        Assert.Equal($"/taskboard/api/tasks/{id}/deliver", claim.GetProperty("links").GetProperty("deliver").GetString());
        var read = await stack.GetTask(id);
        Assert.Equal("IN_PROGRESS", read.Status());
        var claimedAt = read.GetProperty("claim").GetProperty("claimedAt").GetDateTimeOffset();
        Assert.Equal(claimedAt.AddHours(24), claim.GetProperty("expiresAt").GetDateTimeOffset());

        // Deliver: SUBMITTED, the seed's next steps, approved automatically in 7 days.
        var delivery = (await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK)).GetProperty("delivery");
        Assert.Equal("SUBMITTED", delivery.GetProperty("status").GetString());
        Assert.Equal(["Client reviews submitted work", "Client approves or requests revisions", "Upon approval, payment is released"],
            delivery.GetProperty("nextSteps").EnumerateArray().Select(s => s.GetString()));
        var submitted = await stack.GetTask(id, client: client);
        Assert.Equal(submitted.GetProperty("delivery").GetProperty("submittedAt").GetDateTimeOffset().AddDays(7),
            delivery.GetProperty("autoApproveAt").GetDateTimeOffset());
        Assert.Equal(1, await stack.DeliveriesOf(id));

        // Approve: COMPLETED, paid once, karma +10.
        var approved = (await (await client.Review(id, "approve")).Expect(HttpStatusCode.OK)).GetProperty("task");
        Assert.Equal("COMPLETED", approved.Status());
        Assert.Equal("CLIENT", approved.GetProperty("resolvedBy").GetString());
        var rewardCents = (long)(reward * 100);
        var fee = rewardCents / 10;
        Assert.Equal((rewardCents - fee) / 100m, approved.GetProperty("agentEarned").GetProperty("amount").GetDecimal());
        Assert.Equal(rewardCents - fee, await stack.WalletBalance(agent.ApiKey));
        Assert.Equal(fee, (long)(await stack.Postgres.Scalar("SELECT amount FROM ledger_entries WHERE transfer_id = @id AND account_id = @platform",
            ("id", "task-release:" + id), ("platform", LedgerAccount.Platform)))!);
        Assert.Equal(0, await stack.EscrowOf(id));
        Assert.Equal(100_000 - rewardCents, await stack.Balance(client.UserId));
        await client.Review(id, "approve");
        Assert.Equal(2, await stack.TransfersOf(id));

        var me = await stack.Me(agent);
        Assert.Equal(10, me.GetProperty("karma").GetInt32());
        Assert.Equal(1, me.GetProperty("tasksCompleted").GetInt32());
        Assert.Equal((rewardCents - fee) / 100m, me.GetProperty("earnings").GetProperty("amount").GetDecimal());

        Assert.Equal(["task.claimed", "task.approved"], await stack.EventsOf(agent.IdentityId, id));
        var paid = (await stack.EventBody(agent.IdentityId, id, "task.approved")).GetProperty("data");
        Assert.Equal(10, paid.GetProperty("karma").GetInt32());
        Assert.Equal((rewardCents - fee) / 100m, paid.GetProperty("earned").GetProperty("amount").GetDecimal());
        Assert.Equal(0, await stack.LedgerSum());
        Assert.Equal(0, await stack.AccountsBelowZero());
    }

    [Fact]
    public async Task Of_a_hundred_agents_claiming_at_once_exactly_one_wins()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var from = TaskParties.FreshAddress();
        var agents = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => stack.Agent(owner, from: from))));
        var id = (await client.Posted(5m)).Id();

        var claims = await Task.WhenAll(agents.Select(a => Task.Run(() => stack.Claim(id, a.ApiKey, a.AgentId))));

        Assert.Single(claims, c => c.StatusCode == HttpStatusCode.OK);
        Assert.Equal(99, claims.Count(c => c.StatusCode == HttpStatusCode.Conflict));
        var winner = agents[Array.FindIndex(claims, c => c.StatusCode == HttpStatusCode.OK)];
        var task = await stack.GetTask(id);
        Assert.Equal(winner.AgentId, task.GetProperty("claim").GetProperty("agentId").GetString());
        var refused = await claims.First(c => c.StatusCode == HttpStatusCode.Conflict).Refused(HttpStatusCode.Conflict);
        Assert.Equal("Task is IN_PROGRESS: already claimed", refused.GetProperty("error").GetString());
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE job_id = @id AND event = 'task.claimed'", ("id", id)));

        // The claimant claiming again is refused too.
        await (await stack.Claim(id, winner.ApiKey, winner.AgentId)).Refused(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_agent_cannot_claim_or_deliver_as_another_and_needs_its_key()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var mine = await stack.Agent(owner);
        var other = await stack.Agent(owner);
        var id = (await client.Posted(5m)).Id();

        var impersonated = await (await stack.Claim(id, mine.ApiKey, other.AgentId)).Refused(HttpStatusCode.Forbidden);
        Assert.Equal("agentId is not the agent of this API key", impersonated.GetProperty("error").GetString());
        using (var anonymous = new HttpClient { BaseAddress = stack.ApiUrl })
        {
            await (await anonymous.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/claim", new { agentId = mine.AgentId })).Refused(HttpStatusCode.Unauthorized);
            await (await anonymous.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/deliver", new { agentId = mine.AgentId, result = new { summary = "s" } }))
                .Refused(HttpStatusCode.Unauthorized);
        }
        await (await stack.Claim(id, mine.ApiKey, "never-connected-" + Guid.NewGuid().ToString("N")[..8])).Refused(HttpStatusCode.NotFound);
        await (await stack.Claim(id, mine.ApiKey, "not a handle")).Refused(HttpStatusCode.BadRequest, "agentId");
        using (var agent = stack.AsAgent(mine.ApiKey))
            await (await agent.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/claim", new { })).Refused(HttpStatusCode.BadRequest, "agentId");
        await (await stack.Claim("task_doesnotexist0000000000", mine.ApiKey, mine.AgentId)).Refused(HttpStatusCode.NotFound);
        Assert.Equal("OPEN", await stack.RowStatus(id));
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE job_id = @id", ("id", id)));

        await (await stack.Claim(id, mine.ApiKey, mine.AgentId)).Expect(HttpStatusCode.OK);

        var notClaimant = await (await stack.Deliver(id, other.ApiKey, other.AgentId)).Refused(HttpStatusCode.Forbidden);
        Assert.Equal("Only the agent that claimed this task can deliver it", notClaimant.GetProperty("error").GetString());
        await (await stack.Deliver(id, other.ApiKey, mine.AgentId)).Refused(HttpStatusCode.Forbidden);
        using (var agent = stack.AsAgent(mine.ApiKey))
        {
            await (await agent.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/deliver", new { agentId = mine.AgentId, result = new { code = "x" } }))
                .Refused(HttpStatusCode.BadRequest, "result.summary");
            await (await agent.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/deliver",
                new { agentId = mine.AgentId, result = new { summary = "s", url = "ftp://x" } })).Refused(HttpStatusCode.BadRequest, "result.url");
            await (await agent.PostAsJsonAsync($"{TaskboardClient.Base}/tasks/{id}/deliver",
                new { agentId = mine.AgentId, result = new { summary = "s" }, metadata = new[] { 1 } })).Refused(HttpStatusCode.BadRequest, "metadata");
        }
        Assert.Equal(0, await stack.DeliveriesOf(id));
        Assert.Equal("IN_PROGRESS", await stack.RowStatus(id));

        await (await stack.Deliver(id, mine.ApiKey, mine.AgentId)).Expect(HttpStatusCode.OK);
        // Delivered already: a second delivery is a conflict.
        await (await stack.Deliver(id, mine.ApiKey, mine.AgentId)).Refused(HttpStatusCode.Conflict);
        Assert.Equal(1, await stack.DeliveriesOf(id));
    }

    [Fact]
    public async Task A_deliverys_result_is_shown_to_the_client_and_the_claimant_only()
    {
        using var client = await stack.FundedClient(10m);
        using var stranger = await stack.FundedClient(0m);
        using var owner = await stack.SignUpClient();
        var claimant = await stack.Agent(owner);
        var third = await stack.Agent(owner);
        var id = (await client.Posted(5m)).Id();
        await (await stack.Claim(id, claimant.ApiKey, claimant.AgentId)).Expect(HttpStatusCode.OK);
        await (await stack.Deliver(id, claimant.ApiKey, claimant.AgentId, summary: "Fixed the race")).Expect(HttpStatusCode.OK);

        foreach (var seen in new[] { await stack.GetTask(id, client: client), await stack.GetTask(id, apiKey: claimant.ApiKey) })
        {
            var delivery = seen.GetProperty("delivery");
            Assert.Equal(1, delivery.GetProperty("number").GetInt32());
            Assert.Equal("Fixed the race", delivery.GetProperty("result").GetProperty("summary").GetString());
            Assert.Equal("https://github.com/openclaw/pr/pull/123", delivery.GetProperty("result").GetProperty("url").GetString());
            Assert.Equal(3600, delivery.GetProperty("metadata").GetProperty("duration").GetInt32());
        }
        foreach (var seen in new[] { await stack.GetTask(id), await stack.GetTask(id, apiKey: third.ApiKey), await stack.GetTask(id, client: stranger) })
        {
            var delivery = seen.GetProperty("delivery");
            Assert.Equal(claimant.AgentId, delivery.GetProperty("agentId").GetString());
            Assert.False(delivery.TryGetProperty("result", out _));
            Assert.False(delivery.TryGetProperty("metadata", out _));
        }

        // Another human cannot review it: to them the task does not exist.
        await (await stranger.Review(id, "approve")).Refused(HttpStatusCode.NotFound);
        Assert.Equal("SUBMITTED", await stack.RowStatus(id));
    }
}
