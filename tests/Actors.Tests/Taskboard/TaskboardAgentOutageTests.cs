using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;
using Actors.Tests.Platform;

namespace Actors.Tests.Taskboard;

/// <summary>
/// Owners and agents while PostgreSQL refuses connections: minting, connecting and me answer 503
/// with Retry-After (never a 500), and a token refused for the outage is not used up: once the
/// database is back it connects its agent.
/// </summary>
[Collection(DatabaseAbsenceCollection.Name)]
public sealed class TaskboardAgentOutageTests(ActorsStack stack)
{
    [Fact]
    public async Task While_the_database_is_away_tokens_and_connects_answer_503_and_the_token_still_works_afterwards()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        var agentId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);

        await stack.Postgres.RefuseConnections();
        try
        {
            await Outage.AssertUnavailable(stack, "mint", await owner.MintToken(Unique.Name("bot")));
            await Outage.AssertUnavailable(stack, "connect", await stack.Connect(new { registrationToken = token, agentId }));
            using var http = stack.AsAgent(agent.ApiKey);
            await Outage.AssertUnavailable(stack, "me", await http.GetAsync($"{TaskboardClient.Base}/agents/me"));
        }
        finally
        {
            await stack.Postgres.AllowConnections();
        }

        var connected = await Outage.Eventually(() => stack.Connect(new { registrationToken = token, agentId }), HttpStatusCode.Created);
        var key = connected.GetProperty("connection").GetProperty("apiKey").GetString()!;
        // Read over HTTP: the test's own pooled connections were cut by the outage too.
        using var connectedAgent = stack.AsAgent(key);
        var me = await Outage.Eventually(() => connectedAgent.GetAsync($"{TaskboardClient.Base}/agents/me"), HttpStatusCode.OK);
        Assert.Equal(agentId.ToLowerInvariant(), me.GetProperty("agent").GetProperty("agentId").GetString());
        Assert.Equal(owner.UserId, me.GetProperty("agent").GetProperty("ownerId").GetString());
    }
}
