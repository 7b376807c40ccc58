using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>The client's review: a revision sends the task back to its claimant, a rejection and a cancel refund the client in full; karma follows.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskReviewTests(ActorsStack stack)
{
    [Fact]
    public async Task A_revision_sends_the_task_back_with_a_new_lease_and_the_next_delivery_is_number_two()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var id = (await client.Posted(5m, deadline: 3)).Id();
        await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);

        await (await client.Review(id, "request-revision", new { })).Refused(HttpStatusCode.BadRequest, "feedback");
        await (await client.Review(id, "request-revision", new { feedback = new string('f', 5_001) })).Refused(HttpStatusCode.BadRequest, "feedback");
        Assert.Equal("SUBMITTED", await stack.RowStatus(id));

        stack.Clock.Advance(TimeSpan.FromHours(1));
        var sentBack = (await (await client.Review(id, "request-revision", new { feedback = "Add a test for the reconnect" })).Expect(HttpStatusCode.OK)).GetProperty("task");
        Assert.Equal("IN_PROGRESS", sentBack.Status());
        Assert.Equal(1, sentBack.GetProperty("revisions").GetInt32());
        Assert.Equal("Add a test for the reconnect", sentBack.GetProperty("feedback").GetString());
        Assert.Equal(agent.AgentId, sentBack.GetProperty("claim").GetProperty("agentId").GetString());
        Assert.Equal(JsonNull, sentBack.GetProperty("autoApproveAt").ValueKind);
        var claimedAt = sentBack.GetProperty("claim").GetProperty("claimedAt").GetDateTimeOffset();
        var expiresAt = sentBack.GetProperty("claim").GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(sentBack.GetProperty("updatedAt").GetDateTimeOffset().AddHours(3), expiresAt);
        Assert.True(expiresAt > claimedAt.AddHours(3), "the lease is renewed from the revision, not the claim");
        var revised = (await stack.EventBody(agent.IdentityId, id, "task.revision_requested")).GetProperty("data");
        Assert.Equal("Add a test for the reconnect", revised.GetProperty("feedback").GetString());

        await (await client.Review(id, "approve")).Refused(HttpStatusCode.Conflict);
        await (await stack.Deliver(id, agent.ApiKey, agent.AgentId, summary: "Added the test")).Expect(HttpStatusCode.OK);
        var again = await stack.GetTask(id, client: client);
        Assert.Equal("SUBMITTED", again.Status());
        Assert.Equal(2, again.GetProperty("delivery").GetProperty("number").GetInt32());
        Assert.Equal("Added the test", again.GetProperty("delivery").GetProperty("result").GetProperty("summary").GetString());
        Assert.Equal(2, await stack.DeliveriesOf(id));
    }

    [Fact]
    public async Task A_rejection_refunds_the_client_in_full_and_costs_five_karma_never_below_zero()
    {
        using var client = await stack.FundedClient(20m);
        using var owner = await stack.SignUpClient();
        var seasoned = await stack.Agent(owner);
        var newcomer = await stack.Agent(owner);
        var approved = (await client.Posted(5m)).Id();
        var rejected = (await client.Posted(5m)).Id();
        var alsoRejected = (await client.Posted(5m)).Id();
        foreach (var (id, agent) in new[] { (approved, seasoned), (rejected, seasoned), (alsoRejected, newcomer) })
        {
            await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
            await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        }
        await (await client.Review(approved, "approve")).Expect(HttpStatusCode.OK);
        Assert.Equal(500, await stack.Balance(client.UserId));

        await (await client.Review(rejected, "reject", new { reason = new string('r', 5_001) })).Refused(HttpStatusCode.BadRequest, "reason");
        Assert.Equal("SUBMITTED", await stack.RowStatus(rejected));
        var task = (await (await client.Review(rejected, "reject", new { reason = "Does not reconnect" })).Expect(HttpStatusCode.OK)).GetProperty("task");
        Assert.Equal("REJECTED", task.Status());
        Assert.Equal("Does not reconnect", task.GetProperty("rejectionReason").GetString());
        await (await client.Review(alsoRejected, "reject")).Expect(HttpStatusCode.OK);

        Assert.Equal(1_500, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.EscrowOf(rejected));
        await (await client.Review(rejected, "reject")).Refused(HttpStatusCode.Conflict);
        await (await client.Review(rejected, "approve")).Refused(HttpStatusCode.Conflict);
        Assert.Equal(1_500, await stack.Balance(client.UserId));
        Assert.Equal(2, await stack.TransfersOf(rejected));

        var seasonedMe = await stack.Me(seasoned);
        Assert.Equal(5, seasonedMe.GetProperty("karma").GetInt32());
        Assert.Equal(1, seasonedMe.GetProperty("tasksCompleted").GetInt32());
        Assert.Equal(1, seasonedMe.GetProperty("tasksRejected").GetInt32());
        var newcomerMe = await stack.Me(newcomer);
        Assert.Equal(0, newcomerMe.GetProperty("karma").GetInt32());
        Assert.Equal(1, newcomerMe.GetProperty("tasksRejected").GetInt32());
        Assert.Equal(0m, newcomerMe.GetProperty("earnings").GetProperty("amount").GetDecimal());
        var told = (await stack.EventBody(seasoned.IdentityId, rejected, "task.rejected")).GetProperty("data");
        Assert.Equal("Does not reconnect", told.GetProperty("reason").GetString());
        Assert.Equal(0, await stack.LedgerSum());
    }

    [Fact]
    public async Task An_open_task_is_cancelled_with_a_full_refund_and_a_claimed_one_cannot_be()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var open = (await client.Posted(4m)).Id();
        var claimed = (await client.Posted(3m)).Id();
        await (await stack.Claim(claimed, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        Assert.Equal(300, await stack.Balance(client.UserId));

        var cancelled = (await (await client.Review(open, "cancel")).Expect(HttpStatusCode.OK)).GetProperty("task");
        Assert.Equal("CANCELLED", cancelled.Status());
        Assert.Equal(700, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.EscrowOf(open));
        await (await client.Review(open, "cancel")).Refused(HttpStatusCode.Conflict);
        await (await stack.Claim(open, agent.ApiKey, agent.AgentId)).Refused(HttpStatusCode.Conflict);

        var refused = await (await client.Review(claimed, "cancel")).Refused(HttpStatusCode.Conflict);
        Assert.Equal("Task is IN_PROGRESS: only an OPEN task can be cancelled", refused.GetProperty("error").GetString());
        Assert.Equal("IN_PROGRESS", await stack.RowStatus(claimed));
        Assert.Equal(700, await stack.Balance(client.UserId));
        Assert.Equal(1, await stack.TransfersOf(claimed));
        Assert.Equal(0, await stack.LedgerSum());
    }

    [Fact]
    public async Task The_clients_list_shows_their_own_tasks_newest_first()
    {
        using var client = await stack.FundedClient(10m);
        using var other = await stack.FundedClient(10m);
        var first = (await client.Posted(1m)).Id();
        var second = (await client.Posted(2m)).Id();
        await other.Posted(1m);
        await (await client.Review(first, "cancel")).Expect(HttpStatusCode.OK);

        var all = await (await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks")).Expect(HttpStatusCode.OK);
        Assert.Equal([second, first], all.Ids());
        Assert.Equal(2, all.GetProperty("pagination").GetProperty("total").GetInt32());
        var cancelled = await (await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks?status=CANCELLED")).Expect(HttpStatusCode.OK);
        Assert.Equal([first], cancelled.Ids());
        var page = await (await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks?limit=1")).Expect(HttpStatusCode.OK);
        Assert.Equal([second], page.Ids());
        Assert.True(page.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        await (await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks?status=DONE")).Refused(HttpStatusCode.BadRequest, "status");
        await (await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks?limit=0")).Refused(HttpStatusCode.BadRequest, "limit");
    }

    const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
