using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// A step whose row could not be written after its money moved is finished later, never paid twice:
/// a post whose row failed after its escrow is finished by its retry; an approval whose row failed
/// after its release is finished by the task's next activation.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskRecoveryTests(ActorsStack stack)
{
    [Fact]
    public async Task A_post_whose_row_failed_after_its_escrow_is_finished_by_the_retry_and_escrowed_once()
    {
        using var client = await stack.FundedClient(10m);
        var key = "row-fails-" + Guid.NewGuid();
        var body = TaskboardClient.TaskBody(reward: 4m);

        await using (await TableObstacle.Install(stack.Postgres, "taskboard_tasks", $"NEW.client_id = '{client.UserId}'"))
        {
            var failed = await client.PostTask(body, key);
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(600, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.TasksOfClient(client.UserId));
        await stack.CollectActivations();

        var retried = await client.PostTask(body, key);
        var task = (await retried.Expect(HttpStatusCode.Created)).GetProperty("task");

        Assert.Equal("OPEN", task.Status());
        Assert.Equal(1, await stack.TasksOfClient(client.UserId));
        Assert.Equal(1, await stack.TransfersOf(task.Id()));
        Assert.Equal(600, await stack.Balance(client.UserId));
        Assert.Equal(400, await stack.EscrowOf(task.Id()));
    }

    [Fact]
    public async Task A_post_whose_escrow_failed_does_not_exist_and_its_retry_posts_it_escrowed_once()
    {
        using var client = await stack.FundedClient(10m);
        var key = "escrow-fails-" + Guid.NewGuid();
        var body = TaskboardClient.TaskBody(reward: 4m);

        await using (await TableObstacle.Install(stack.Postgres, "ledger_entries", $"NEW.account_id = '{Actors.Grains.Wallets.WalletLedger.Wallet(client.UserId)}'"))
        {
            var failed = await client.PostTask(body, key);
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(1_000, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.TasksOfClient(client.UserId));
        await stack.CollectActivations();

        var task = (await (await client.PostTask(body, key)).Expect(HttpStatusCode.Created)).GetProperty("task");

        Assert.Equal("OPEN", task.Status());
        Assert.Equal(1, await stack.TasksOfClient(client.UserId));
        Assert.Equal(1, await stack.TaskStatesOfClient(client.UserId));
        Assert.Equal(600, await stack.Balance(client.UserId));
        Assert.Equal(1, await stack.TransfersOf(task.Id()));
    }

    [Fact]
    public async Task An_approval_whose_row_failed_after_its_release_is_finished_by_the_next_activation_and_paid_once()
    {
        using var client = await stack.FundedClient(10m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var id = (await client.Posted(5m)).Id();
        await (await stack.Claim(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        await (await stack.Deliver(id, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);

        await using (await TableObstacle.Install(stack.Postgres, "taskboard_tasks", $"NEW.task_id = '{id}' AND NEW.status = 'COMPLETED'"))
        {
            var failed = await client.Review(id, "approve");
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(450, await stack.WalletBalance(agent.ApiKey));
        Assert.Equal("SUBMITTED", await stack.RowStatus(id));
        await stack.CollectActivations();

        var task = await stack.GetTask(id);
        Assert.Equal("COMPLETED", task.Status());
        Assert.Equal("COMPLETED", await stack.RowStatus(id));
        await (await client.Review(id, "reject")).Refused(HttpStatusCode.Conflict);
        await (await client.Review(id, "approve")).Refused(HttpStatusCode.Conflict);
        Assert.Equal(450, await stack.WalletBalance(agent.ApiKey));
        Assert.Equal(500, await stack.Balance(client.UserId));
        Assert.Equal(2, await stack.TransfersOf(id));
        Assert.Equal(["task.claimed", "task.approved"], await stack.EventsOf(agent.IdentityId, id));
        Assert.Equal(0, await stack.LedgerSum());
    }

}
