using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;
using Actors.Tests.Platform;

namespace Actors.Tests.Taskboard;

/// <summary>
/// Tasks while PostgreSQL refuses connections: posting, polling, claiming, delivering, reviewing and
/// (cold) reading answer 503 with Retry-After, never a 500, and nothing is half-written; once the
/// database is back the same calls work, once each. Runs on the outage collection's own database.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class TaskOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task While_the_database_is_away_tasks_answer_503_and_afterwards_they_work_once()
    {
        using var client = await stack.FundedClient(30m);
        using var owner = await stack.SignUpClient();
        var agent = await stack.Agent(owner);
        var open = (await client.Posted(5m)).Id();
        var claimed = (await client.Posted(5m)).Id();
        await (await stack.Claim(claimed, agent.ApiKey, agent.AgentId)).Expect(HttpStatusCode.OK);
        var body = TaskboardClient.TaskBody(reward: 7m);

        foreach (var cold in new[] { false, true })
        {
            if (cold)
            {
                await stack.CollectActivations();
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            await stack.Postgres.RefuseConnections();
            try
            {
                await Outage.AssertUnavailable(stack, "post", await client.PostTask(body));
                await Outage.AssertUnavailable(stack, "poll", await stack.PollFrom($"?skills=DATA&minReward=0.0{(cold ? 2 : 1)}&limit=7"));
                await Outage.AssertUnavailable(stack, "claim", await stack.Claim(open, agent.ApiKey, agent.AgentId));
                await Outage.AssertUnavailable(stack, "deliver", await stack.Deliver(claimed, agent.ApiKey, agent.AgentId));
                await Outage.AssertUnavailable(stack, "cancel", await client.Review(open, "cancel"));
                await Outage.AssertUnavailable(stack, "list", await client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks"));
                if (cold) await Outage.AssertUnavailable(stack, "get", await new HttpClient { BaseAddress = stack.ApiUrl }.GetAsync($"{TaskboardClient.Base}/tasks/{open}"));
            }
            finally
            {
                await stack.Postgres.AllowConnections();
            }

            // Nothing of the refused calls was kept.
            Assert.Equal("OPEN", (await Outage.Eventually(() => Get(open))).GetProperty("task").Status());
            Assert.Equal("IN_PROGRESS", (await Outage.Eventually(() => Get(claimed))).GetProperty("task").Status());
            Assert.Equal(2, (await Outage.Eventually(() => client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks")))
                .GetProperty("pagination").GetProperty("total").GetInt32());
        }
        Assert.Equal(2_000, await stack.Balance(client.UserId));

        // The same calls go through, once each.
        Assert.Equal("OPEN", (await Outage.Eventually(() => client.PostTask(body), HttpStatusCode.Created)).GetProperty("task").Status());
        Assert.Equal("SUBMITTED", (await Outage.Eventually(() => Get(claimed, deliver: true))).GetProperty("task").Status());
        Assert.Equal("CANCELLED", (await Outage.Eventually(() => client.Review(open, "cancel"))).GetProperty("task").Status());
        Assert.Equal(3, (await Outage.Eventually(() => client.Http.GetAsync($"{TaskboardClient.Base}/client/tasks")))
            .GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(2_000 - 700 + 500, await stack.Balance(client.UserId));
        // Counted over HTTP: the test's own pooled connections were cut by the outage too.
        Assert.Equal(1, (await Outage.Eventually(() => Get(claimed))).GetProperty("task").GetProperty("delivery").GetProperty("number").GetInt32());

        async Task<HttpResponseMessage> Get(string id, bool deliver = false)
        {
            if (deliver)
            {
                var delivered = await stack.Deliver(id, agent.ApiKey, agent.AgentId);
                if (delivered.StatusCode == HttpStatusCode.ServiceUnavailable) return delivered;
            }
            return await new HttpClient { BaseAddress = stack.ApiUrl }.GetAsync($"{TaskboardClient.Base}/tasks/{id}");
        }
    }
}
