using System.Net;
using Actors.Grains.Taskboard;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Actors.Tests.Taskboard;

/// <summary>Time: a lapsed lease makes the task OPEN again (the claimant told), a review left alone for 7 days approves it, paid once however often woken.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskTimeTests(ActorsStack stack)
{
    [Fact]
    public async Task A_lapsed_lease_reopens_the_task_tells_the_claimant_and_lets_another_claim_it()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var late = await stack.Agent(owner);
        var next = await stack.Agent(owner);
        var reward = TaskParties.UniqueReward() % 9m + 0.5m;
        var id = (await client.Posted(reward, deadline: 1)).Id();
        var claim = (await (await stack.Claim(id, late.ApiKey, late.AgentId)).Expect(HttpStatusCode.OK)).GetProperty("claim");
        var expiresAt = claim.GetProperty("expiresAt").GetDateTimeOffset();

        stack.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        // The sweep wakes it (no read does): OPEN, no claimant, the claimant told.
        Assert.Equal("OPEN", await stack.RowStatusUntil(id, "OPEN"));
        Assert.IsType<DBNull>(await stack.Postgres.Scalar("SELECT claimed_by FROM taskboard_tasks WHERE task_id = @id", ("id", id)));
        var expired = await stack.EventBody(late.IdentityId, id, "claim.expired");
        Assert.Equal(id, expired.GetProperty("data").GetProperty("taskId").GetString());
        Assert.Equal(late.AgentId, expired.GetProperty("data").GetProperty("agentId").GetString());
        Assert.Equal(expiresAt, expired.GetProperty("data").GetProperty("expiredAt").GetDateTimeOffset());
        var polled = await stack.PolledUntil($"?{TaskParties.RewardFilter(reward)}", p => p.Ids().Contains(id));
        Assert.Contains(id, polled.Ids());

        await (await stack.Deliver(id, late.ApiKey, late.AgentId)).Refused(HttpStatusCode.Conflict);
        await (await stack.Claim(id, next.ApiKey, next.AgentId)).Expect(HttpStatusCode.OK);
        await (await stack.Deliver(id, late.ApiKey, late.AgentId)).Refused(HttpStatusCode.Forbidden);
        Assert.Equal(0, await stack.DeliveriesOf(id));
        var task = await stack.GetTask(id);
        Assert.Equal(next.AgentId, task.GetProperty("claim").GetProperty("agentId").GetString());
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE job_id = @id AND event = 'claim.expired'", ("id", id)));
    }

    [Fact]
    public async Task A_submission_left_alone_for_seven_days_is_approved_automatically_and_paid_once()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var id = (await client.Posted(5m)).Id();
        await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);

        stack.Clock.Advance(TimeSpan.FromDays(6));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("SUBMITTED", await stack.RowStatus(id));

        stack.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal("COMPLETED", await stack.RowStatusUntil(id, "COMPLETED"));
        var grains = stack.SiloServices.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<ITaskGrain>(id).Wake();
        await grains.GetGrain<ITaskGrain>(id).Wake();

        var task = await stack.GetTask(id);
        Assert.Equal("COMPLETED", task.Status());
        Assert.Equal("AUTOMATIC", task.GetProperty("resolvedBy").GetString());
        Assert.Equal(450, await stack.WalletBalance(agent.ApiKey));
        Assert.Equal(2, await stack.TransfersOf(id));
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM webhook_events WHERE job_id = @id AND event = 'task.approved'", ("id", id)));
        Assert.Equal(10, (await stack.Me(agent)).GetProperty("karma").GetInt32());
        await (await client.Review(id, "approve")).Refused(HttpStatusCode.Conflict);
        await (await client.Review(id, "reject")).Refused(HttpStatusCode.Conflict);
        Assert.Equal(500, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.LedgerSum());
    }

    [Fact]
    public async Task A_task_has_a_due_reminder_while_claimed_or_submitted_and_none_once_resolved()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var id = (await client.Posted(5m)).Id();
        Assert.Null(await stack.ReminderPeriod(id));

        await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        await stack.ReminderBecomes(id, p => p is not null);
        await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        await stack.ReminderBecomes(id, p => p is not null);
        await (await client.Review(id, "approve")).Expect(HttpStatusCode.OK);
        await stack.ReminderBecomes(id, p => p is null);
    }
}
