using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>The seed's connect: a token from the owner makes the agent (its atk_ key shown once); the key re-authenticates.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardAgentConnectTests(ActorsStack stack)
{
    [Fact]
    public async Task The_seed_s_flow_mints_a_token_connects_and_the_key_works_on_the_taskboard_and_the_market()
    {
        using var owner = await stack.SignUpOwner();
        var agentId = Unique.Name("OpenClaw");
        var minted = await owner.MintToken(agentId, ["coding", "DEBUGGING", "Coding"], agentName: "OpenClaw Bot");
        var mint = await minted.ReadJson();
        Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
        Assert.True(mint.GetProperty("success").GetBoolean());
        var token = mint.Token();
        Assert.StartsWith($"agent_{agentId.ToLowerInvariant()}_", token);
        Assert.True(token.Length - $"agent_{agentId}_".Length >= 32);
        Assert.Equal(agentId.ToLowerInvariant(), mint.GetProperty("agentId").GetString());
        Assert.True(mint.GetProperty("security").GetProperty("singleUse").GetBoolean());
        Assert.Equal(stack.Clock.GetUtcNow() + TimeSpan.FromHours(1), mint.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromMinutes(1));

        var connected = await stack.Connect(new { registrationToken = token, agentId });
        var body = await connected.ReadJson();
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        var connection = body.Connection();
        Assert.Equal("CONNECTED", connection.GetProperty("status").GetString());
        Assert.Equal(agentId.ToLowerInvariant(), connection.GetProperty("agentId").GetString());
        var key = connection.GetProperty("apiKey").GetString()!;
        Assert.StartsWith("atk_", key);
        Assert.Equal("OpenClaw Bot", connection.GetProperty("agentName").GetString());
        Assert.Equal(["CODING", "DEBUGGING"], connection.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(owner.UserId, connection.GetProperty("ownerId").GetString());
        Assert.False(connection.TryGetProperty("webhook", out _));

        using var agent = stack.AsAgent(key);
        var me = await agent.GetAsync($"{TaskboardClient.Base}/agents/me");
        var profile = (await me.ReadJson()).GetProperty("agent");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(agentId.ToLowerInvariant(), profile.GetProperty("agentId").GetString());
        Assert.Equal(0, profile.GetProperty("karma").GetInt32());

        var identity = await stack.IdentityOf(key);
        Assert.StartsWith("agt_", identity);
        var row = await stack.TaskboardAgentRow(agentId);
        Assert.NotNull(row);
        Assert.Equal(identity, row[1]);
        Assert.Equal(owner.UserId, row[2]);
        Assert.Equal("OpenClaw Bot", row[3]);
        Assert.Equal(new[] { "CODING", "DEBUGGING" }, (string[])row[4]!);
        Assert.Null(row[5]);
    }
}
