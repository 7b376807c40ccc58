using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The tasks tests' parties and what they read back. Calls come from a loopback address of their
/// own (127.x.y.z), so the per-address limits of keyless calls (connect, a keyless poll) count each
/// test apart from the rest of the run. A client's wallet is credited on the ledger directly
/// (a deposit as the sandbox checkout makes it), so the tasks' tests do not depend on the pages.
/// </summary>
public static class TaskParties
{
    /// <summary>An HTTP client whose connections come from <paramref name="local"/> (any 127.0.0.0/8 address reaches the API).</summary>
    public static HttpClient From(this ActorsStack stack, IPAddress local, string? apiKey = null)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = stack.ApiUrl };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return http;
    }

    public static IPAddress FreshAddress() => new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    /// <summary>A signed-in client whose wallet holds <paramref name="usdc"/>.</summary>
    public static async Task<TaskboardHuman> FundedClient(this ActorsStack stack, decimal usdc)
    {
        var client = await stack.SignUpClient();
        if (usdc > 0) await stack.Credit(client.UserId, usdc);
        return client;
    }

    public static async Task Credit(this ActorsStack stack, string userId, decimal usdc)
    {
        var id = "test-deposit:" + Guid.NewGuid().ToString("N");
        var moved = await stack.SiloServices.GetRequiredService<LedgerGroupCommit>().Transfer(
            LedgerTransfer.Move(id, WalletLedger.Deposit, LedgerAccount.World, WalletLedger.Wallet(userId), (long)(usdc * 100)),
            WalletLedger.Details(id, "Wallet deposit"));
        Assert.True(moved.Succeeded, moved.Status.ToString());
    }

    /// <summary>A ledger account's balance in cents (a client's or an agent's wallet: <c>wallet:&lt;id&gt;</c>).</summary>
    public static Task<long> Balance(this ActorsStack stack, string ownerId) =>
        stack.SiloServices.GetRequiredService<LedgerStore>().Balance(WalletLedger.Wallet(ownerId));

    public static Task<long> EscrowOf(this ActorsStack stack, string taskId) =>
        stack.SiloServices.GetRequiredService<LedgerStore>().Balance(WalletLedger.Escrow(taskId));

    public static Task<long> LedgerSum(this ActorsStack stack) => stack.SiloServices.GetRequiredService<LedgerStore>().SumOfAllEntries();

    /// <summary>An owner mints a token and an agent connects with it from its own address (201); the agent.</summary>
    public static async Task<TaskboardAgent> Agent(this ActorsStack stack, TaskboardHuman owner, string[]? capabilities = null, IPAddress? from = null)
    {
        var agentId = Unique.Name("tasker").ToLowerInvariant();
        capabilities ??= ["CODING", "DEBUGGING"];
        var token = await owner.MintedToken(agentId, capabilities);
        using var http = stack.From(from ?? FreshAddress());
        var response = await http.PostAsJsonAsync($"{TaskboardClient.Base}/agents/connect",
            new { registrationToken = token, agentId, agentName = $"Agent {agentId}", capabilities });
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        var key = answer.GetProperty("connection").GetProperty("apiKey").GetString()!;
        return new TaskboardAgent(agentId, key, await stack.IdentityOf(key));
    }

    /// <summary>A keyless poll from an address of its own (unless a key is given).</summary>
    public static async Task<HttpResponseMessage> PollFrom(this ActorsStack stack, string query, string? apiKey = null)
    {
        using var http = stack.From(FreshAddress(), apiKey);
        return await http.GetAsync($"{TaskboardClient.Base}/tasks{query}");
    }

    /// <summary>
    /// A poll's answer once it shows what <paramref name="until"/> wants (polls are answered from a
    /// cache for a second): the last answer after 10 s otherwise.
    /// </summary>
    public static async Task<JsonElement> PolledUntil(this ActorsStack stack, string query, Func<JsonElement, bool> until, string? apiKey = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await stack.PollFrom(query, apiKey);
            var answer = await response.ReadJson();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {answer}");
            if (until(answer) || clock.Elapsed > TimeSpan.FromSeconds(10)) return answer;
            await Task.Delay(200);
        }
    }

    public static string[] Ids(this JsonElement polled) => [.. polled.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

    /// <summary>A reward no other test uses, so a poll filtered on it sees only this test's tasks.</summary>
    public static decimal UniqueReward() => Random.Shared.Next(100, 99_999) / 100m;

    public static string RewardFilter(decimal reward) =>
        $"minReward={reward.ToString(System.Globalization.CultureInfo.InvariantCulture)}&maxReward={reward.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static async Task<JsonElement> Posted(this TaskboardHuman client, decimal reward, string[]? skills = null, int? deadline = null)
    {
        var response = await client.PostTask(TaskboardClient.TaskBody(reward, skills, deadline: deadline));
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("task");
    }

    public static string Id(this JsonElement task) => task.GetProperty("id").GetString()!;

    public static string Status(this JsonElement task) => task.GetProperty("status").GetString()!;

    /// <summary>What a response must be; its JSON.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {answer}");
        return answer;
    }

    /// <summary>A refusal in the taskboard's shape: success false, naming <paramref name="field"/> when given.</summary>
    public static async Task<JsonElement> Refused(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var answer = await response.Expect(status);
        Assert.False(answer.GetProperty("success").GetBoolean());
        if (field is not null) Assert.Equal(field, answer.GetProperty("field").GetString());
        return answer;
    }

    public static async Task<long> TasksOfClient(this ActorsStack stack, string clientId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM taskboard_tasks WHERE client_id = @id", ("id", clientId)))!;

    /// <summary>Task grain states kept for this client (a refused post keeps none).</summary>
    public static async Task<long> TaskStatesOfClient(this ActorsStack stack, string clientId) =>
        (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE grain_type LIKE '%task%' AND payload IS NOT NULL AND position(@id in convert_from(payload, 'UTF8')) > 0",
            ("id", clientId)))!;

    public static async Task<long> TransfersOf(this ActorsStack stack, string taskId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM ledger_transfers WHERE transfer_id LIKE @id", ("id", "task-%:" + taskId)))!;

    public static async Task<long> TransfersOfClient(this ActorsStack stack, string clientId) =>
        (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM ledger_entries WHERE account_id = @account AND transfer_id LIKE 'task-%'", ("account", WalletLedger.Wallet(clientId))))!;

    public static async Task<long> DeliveriesOf(this ActorsStack stack, string taskId) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM taskboard_deliveries WHERE task_id = @id", ("id", taskId)))!;

    /// <summary>The webhook events written for the identity about this task, by event name.</summary>
    public static async Task<List<string>> EventsOf(this ActorsStack stack, string identityId, string taskId) =>
        [.. (await stack.Postgres.Rows("SELECT event FROM webhook_events WHERE agent_id = @agent AND job_id = @task ORDER BY created_at, event",
            ("agent", identityId), ("task", taskId))).Select(r => (string)r[0]!)];

    public static async Task<JsonElement> EventBody(this ActorsStack stack, string identityId, string taskId, string eventName) =>
        JsonDocument.Parse((string)(await stack.Postgres.Scalar(
            "SELECT body FROM webhook_events WHERE agent_id = @agent AND job_id = @task AND event = @event",
            ("agent", identityId), ("task", taskId), ("event", eventName)))!).RootElement;

    /// <summary>The agent's <c>GET /agents/me</c> body (karma, counts, earnings).</summary>
    public static async Task<JsonElement> Me(this ActorsStack stack, TaskboardAgent agent)
    {
        using var http = stack.AsAgent(agent.ApiKey);
        return (await (await http.GetAsync($"{TaskboardClient.Base}/agents/me")).Expect(HttpStatusCode.OK)).GetProperty("agent");
    }

    /// <summary>The stored row's status, without waking the grain (what the sweep, not a read, did).</summary>
    public static async Task<string?> RowStatus(this ActorsStack stack, string taskId) =>
        (string?)await stack.Postgres.Scalar("SELECT status FROM taskboard_tasks WHERE task_id = @id", ("id", taskId));

    public static async Task<string?> RowStatusUntil(this ActorsStack stack, string taskId, string status)
    {
        var clock = Stopwatch.StartNew();
        string? seen;
        while ((seen = await stack.RowStatus(taskId)) != status && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
        return seen;
    }

    /// <summary>The period of the task's <c>task-due</c> reminder in milliseconds, or null when it has none.</summary>
    public static async Task<long?> ReminderPeriod(this ActorsStack stack, string taskId) =>
        (long?)await stack.Postgres.Scalar(
            "SELECT period_ms FROM orleans_reminder WHERE grain_id LIKE @id AND reminder_name = 'task-due'", ("id", "%" + taskId));

    public static async Task<long?> ReminderBecomes(this ActorsStack stack, string taskId, Func<long?, bool> until)
    {
        var clock = Stopwatch.StartNew();
        long? period;
        while (!until(period = await stack.ReminderPeriod(taskId)) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.True(until(period), $"the reminder of {taskId} is {period?.ToString() ?? "absent"}");
        return period;
    }
}
