using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>Posting a task: the reward escrowed at once in one transfer; a short wallet or a bad field writes nothing; a retry with the same key posts once.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskPostTests(ActorsStack stack)
{
    [Fact]
    public async Task A_posted_task_is_OPEN_and_its_reward_is_escrowed_in_one_transfer()
    {
        using var client = await stack.FundedClient(500m);

        var response = await client.PostTask(new
        {
            title = "  Fix Socket.io Connection  ", description = "It drops after 30 s", skills = new[] { "coding", "CODING", "Debugging" },
            reward = new { amount = 100, token = "usdc" },
        });
        var task = (await response.Expect(HttpStatusCode.Created)).GetProperty("task");

        Assert.StartsWith("task_", task.Id());
        Assert.Equal($"/taskboard/api/tasks/{task.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("OPEN", task.Status());
        Assert.Equal("Fix Socket.io Connection", task.GetProperty("title").GetString());
        Assert.Equal(["CODING", "DEBUGGING"], task.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(100m, task.GetProperty("reward").GetProperty("amount").GetDecimal());
        Assert.Equal("USDC", task.GetProperty("reward").GetProperty("token").GetString());
        Assert.Equal(24, task.GetProperty("deadline").GetInt32());
        Assert.Equal(client.UserId, task.GetProperty("clientId").GetString());
        Assert.Equal($"/taskboard/api/tasks/{task.Id()}/claim", task.GetProperty("links").GetProperty("claim").GetString());

        Assert.Equal(40_000, await stack.Balance(client.UserId));
        Assert.Equal(10_000, await stack.EscrowOf(task.Id()));
        Assert.Equal(1, await stack.TransfersOf(task.Id()));
        var transfer = (await stack.Postgres.Rows("""
            SELECT t.kind, w.description, w.job_id FROM ledger_transfers t JOIN wallet_transfers w USING (transfer_id) WHERE t.transfer_id = @id
            """, ("id", "task-escrow:" + task.Id()))).Single();
        Assert.Equal(WalletLedger.JobEscrow, transfer[0]);
        Assert.Equal("Task: Fix Socket.io Connection", transfer[1]);
        Assert.Equal(task.Id(), transfer[2]);
        Assert.Equal("OPEN", await stack.RowStatus(task.Id()));

        var read = await stack.GetTask(task.Id());
        Assert.Equal("It drops after 30 s", read.GetProperty("description").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, JsonValueKindOf(read, "claim"));
    }

    [Fact]
    public async Task A_reward_the_wallet_cannot_cover_is_402_and_nothing_is_kept()
    {
        using var client = await stack.FundedClient(50m);

        var refused = await (await client.PostTask(TaskboardClient.TaskBody(reward: 100m))).Refused(HttpStatusCode.PaymentRequired);

        Assert.Equal("Insufficient balance: your wallet holds 50.00 USDC, the reward is 100.00 USDC", refused.GetProperty("error").GetString());
        Assert.Equal(5_000, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.TasksOfClient(client.UserId));
        Assert.Equal(0, await stack.TaskStatesOfClient(client.UserId));
        Assert.Equal(0, await stack.TransfersOfClient(client.UserId));
    }

    public static TheoryData<string, string> BadPosts => new()
    {
        { """{"description":"d","skills":["CODING"],"reward":{"amount":1}}""", "title" },
        { """{"title":"   ","description":"d","skills":["CODING"],"reward":{"amount":1}}""", "title" },
        { $$$"""{"title":"{{{new string('t', 201)}}}","description":"d","skills":["CODING"],"reward":{"amount":1}}""", "title" },
        { """{"title":"t","skills":["CODING"],"reward":{"amount":1}}""", "description" },
        { $$$"""{"title":"t","description":"{{{new string('d', 10_001)}}}","skills":["CODING"],"reward":{"amount":1}}""", "description" },
        { """{"title":"t","description":"d","reward":{"amount":1}}""", "skills" },
        { """{"title":"t","description":"d","skills":[],"reward":{"amount":1}}""", "skills" },
        { """{"title":"t","description":"d","skills":["COOKING"],"reward":{"amount":1}}""", "skills" },
        { """{"title":"t","description":"d","skills":["CODING"]}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"token":"USDC"}}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":0}}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":-5}}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":1.005}}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":1000001}}""", "reward.amount" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":1,"token":"ETH"}}""", "reward.token" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":1},"deadline":0}""", "deadline" },
        { """{"title":"t","description":"d","skills":["CODING"],"reward":{"amount":1},"deadline":721}""", "deadline" },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task A_bad_field_is_400_naming_it_and_nothing_is_kept(string body, string field)
    {
        using var client = await stack.FundedClient(100m);

        var response = await client.Http.PostAsync($"{TaskboardClient.Base}/tasks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.Refused(HttpStatusCode.BadRequest, field);

        Assert.Equal(10_000, await stack.Balance(client.UserId));
        Assert.Equal(0, await stack.TasksOfClient(client.UserId));
        Assert.Equal(0, await stack.TaskStatesOfClient(client.UserId));
    }

    [Fact]
    public async Task The_same_post_with_the_same_key_is_one_task_escrowed_once()
    {
        using var client = await stack.FundedClient(300m);
        var key = Guid.NewGuid().ToString("N");
        var body = TaskboardClient.TaskBody(reward: 100m);

        var first = (await (await client.PostTask(body, key)).Expect(HttpStatusCode.Created)).GetProperty("task");
        var again = await client.PostTask(body, key);
        Assert.True(again.IsSuccessStatusCode, $"{(int)again.StatusCode}");
        var second = (await again.ReadJson()).GetProperty("task");
        var other = (await (await client.PostTask(body, Guid.NewGuid().ToString("N"))).Expect(HttpStatusCode.Created)).GetProperty("task");

        Assert.Equal(first.Id(), second.Id());
        Assert.NotEqual(first.Id(), other.Id());
        Assert.Equal(2, await stack.TasksOfClient(client.UserId));
        Assert.Equal(1, await stack.TransfersOf(first.Id()));
        Assert.Equal(10_000, await stack.Balance(client.UserId));
    }

    [Fact]
    public async Task Posting_needs_a_session()
    {
        var response = await stack.Http.PostAsJsonAsync($"{TaskboardClient.Base}/tasks", TaskboardClient.TaskBody());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    static System.Text.Json.JsonValueKind JsonValueKindOf(System.Text.Json.JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind : System.Text.Json.JsonValueKind.Null;
}
