using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>The seed's connect: a token from the owner makes the agent (its atk_ key shown once); the key re-authenticates.</summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardAgentConnectTests(ActorsStack stack)
{
    [Fact]
    public async Task The_seed_s_flow_mints_a_token_connects_and_the_key_works_on_the_taskboard_and_the_market()
    {
        using var owner = await stack.SignUpClient();
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

    const string ConnectPath = $"{TaskboardClient.Base}/agents/connect";
    const string InvalidKey = "Invalid API key for this agentId";

    [Fact]
    public async Task The_same_owner_reconnecting_gets_a_new_key_for_the_same_identity_and_the_old_key_stops_working()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        var token = await owner.MintedToken(agent.AgentId, ["RESEARCH"]);

        var again = await stack.Connect(new { registrationToken = token, agentId = agent.AgentId, agentName = "Renamed" });

        var connection = (await again.ReadJson()).Connection();
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var newKey = connection.GetProperty("apiKey").GetString()!;
        Assert.NotEqual(agent.ApiKey, newKey);
        Assert.Equal("Renamed", connection.GetProperty("agentName").GetString());
        Assert.Equal(["RESEARCH"], connection.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(agent.IdentityId, await stack.IdentityOf(newKey));
        using var renamed = stack.AsAgent(newKey);
        Assert.Equal("Renamed", (await (await renamed.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("name").GetString());
        // The API caches a resolved key for a moment (Auth:KeyCacheFor): the old one is refused once that passes.
        using var old = stack.AsAgent(agent.ApiKey);
        await Eventually(async () => (await old.GetAsync($"{TaskboardClient.Base}/agents/me")).StatusCode == HttpStatusCode.Unauthorized);
        var row = await stack.TaskboardAgentRow(agent.AgentId);
        Assert.Equal(agent.IdentityId, row![1]);
        Assert.Equal("Renamed", row[3]);
        Assert.Equal(new[] { "RESEARCH" }, (string[])row[4]!);
    }

    [Fact]
    public async Task Api_key_re_authentication_is_200_without_a_key_and_updates_what_is_given()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);

        var response = await stack.Connect(new { authType = "API_KEY", apiKey = agent.ApiKey, agentId = agent.AgentId, capabilities = new[] { "data", "WRITING" } });

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var connection = body.Connection();
        Assert.Equal("CONNECTED", connection.GetProperty("status").GetString());
        Assert.False(connection.TryGetProperty("apiKey", out _));
        Assert.Equal(["DATA", "WRITING"], connection.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal($"Agent {agent.AgentId}", connection.GetProperty("agentName").GetString());
        Assert.Equal(owner.UserId, connection.GetProperty("ownerId").GetString());
        Assert.Equal(new[] { "DATA", "WRITING" }, (string[])(await stack.TaskboardAgentRow(agent.AgentId))![4]!);
        // The key still works: re-authentication issues and revokes nothing.
        using var me = stack.AsAgent(agent.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync($"{TaskboardClient.Base}/agents/me")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_another_agent_s_key_or_an_agent_id_never_connected_is_401()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        var other = await stack.ConnectAgent(owner);
        var market = await stack.RegisterAgent();

        var wrong = await stack.Connect(new { authType = "API_KEY", apiKey = "atk_" + new string('x', 40), agentId = agent.AgentId });
        var others = await stack.Connect(new { authType = "API_KEY", apiKey = other.ApiKey, agentId = agent.AgentId });
        var marketKey = await stack.Connect(new { authType = "API_KEY", apiKey = market.ApiKey, agentId = agent.AgentId });
        var never = await stack.Connect(new { authType = "api_key", apiKey = agent.ApiKey, agentId = Unique.Name("never") });

        foreach (var response in new[] { wrong, others, marketKey, never })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(InvalidKey, (await response.ReadJson()).GetProperty("error").GetString());
        }
        Assert.Equal($"Agent {agent.AgentId}", (await stack.TaskboardAgentRow(agent.AgentId))![3]);
    }

    [Fact]
    public async Task Neither_a_token_nor_a_key_is_401_and_another_auth_type_400()
    {
        var agentId = Unique.Name("bot");

        var nothing = await stack.Connect(new { agentId });
        var typeOnly = await stack.Connect(new { agentId, authType = "API_KEY" });
        var otherType = await stack.Connect(new { agentId, authType = "OAUTH", apiKey = "atk_x" });

        Assert.Equal(HttpStatusCode.Unauthorized, nothing.StatusCode);
        Assert.StartsWith("Unauthorized: a registrationToken", (await nothing.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, typeOnly.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherType.StatusCode);
        Assert.Equal("authType", (await otherType.ReadJson()).GetProperty("field").GetString());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
    }

    [Theory]
    [InlineData("ftp://agent.example.com/hook", "endpoint")]
    [InlineData("/relative/hook", "endpoint")]
    [InlineData(null, "agentName")]
    [InlineData(null, "capabilities")]
    [InlineData(null, "metadata")]
    [InlineData(null, "agentId")]
    public async Task A_bad_body_is_400_naming_the_field_and_does_not_use_the_token(string? endpoint, string field)
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);
        object body = field switch
        {
            "endpoint" => new { registrationToken = token, agentId, endpoint },
            "agentName" => new { registrationToken = token, agentId, agentName = new string('n', 101) },
            "capabilities" => new { registrationToken = token, agentId, capabilities = new[] { "CODING", "COOKING" } },
            "metadata" => new { registrationToken = token, agentId, metadata = new { notes = new string('m', 4_100) } },
            _ => new { registrationToken = token, agentId = "bad id" },
        };

        var refused = await stack.Connect(body);

        var answer = await refused.ReadJson();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(field, answer.GetProperty("field").GetString());
        Assert.False(answer.GetProperty("success").GetBoolean());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
        Assert.Null(await stack.TokenUsedAt(token));
        var then = await stack.Connect(new { registrationToken = token, agentId });
        Assert.Equal(HttpStatusCode.Created, then.StatusCode);
    }

    [Fact]
    public async Task Metadata_that_is_not_an_object_is_400()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);

        var refused = await stack.Connect(new { registrationToken = token, agentId, metadata = new[] { 1, 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("metadata", (await refused.ReadJson()).GetProperty("field").GetString());
        Assert.Null(await stack.TokenUsedAt(token));
    }

    [Fact]
    public async Task An_endpoint_sets_the_identity_s_webhook_and_its_secret_is_answered_once()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var endpoint = $"https://{agentId}.example.com/webhook";
        var token = await owner.MintedToken(agentId);

        var first = await stack.Connect(new { registrationToken = token, agentId, endpoint, metadata = new { model = "claude" } });

        var connection = (await first.ReadJson()).Connection();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(endpoint, connection.GetProperty("endpoint").GetString());
        var webhook = connection.GetProperty("webhook");
        Assert.Equal(endpoint, webhook.GetProperty("url").GetString());
        Assert.StartsWith("whsec_", webhook.GetProperty("secret").GetString());
        var key = connection.GetProperty("apiKey").GetString()!;
        using var agent = stack.AsAgent(key);
        var settings = await (await agent.GetAsync("/market/api/agents/me/webhooks")).ReadJson();
        Assert.Equal(endpoint, settings.GetProperty("webhookUrl").GetString());
        Assert.Equal(endpoint, (string?)(await stack.TaskboardAgentRow(agentId))![5]);

        // A new endpoint later keeps the secret: no webhook member again.
        var moved = $"https://{agentId}.example.com/v2/webhook";
        var reauth = await stack.Connect(new { authType = "API_KEY", apiKey = key, agentId, endpoint = moved });
        var reconnection = (await reauth.ReadJson()).Connection();
        Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
        Assert.Equal(moved, reconnection.GetProperty("endpoint").GetString());
        Assert.False(reconnection.TryGetProperty("webhook", out _));
        Assert.Equal(moved, (await (await agent.GetAsync("/market/api/agents/me/webhooks")).ReadJson()).GetProperty("webhookUrl").GetString());
        await Eventually(async () =>
            (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("webhookUrl").GetString() == moved);

        var reconnect = await stack.Connect(new { registrationToken = await owner.MintedToken(agentId), agentId, endpoint = moved });
        Assert.Equal(HttpStatusCode.Created, reconnect.StatusCode);
        Assert.False((await reconnect.ReadJson()).Connection().TryGetProperty("webhook", out _));
        Assert.Equal(moved, (string?)(await stack.TaskboardAgentRow(agentId))![5]);
    }

    [Fact]
    public async Task A_json_body_of_the_wrong_shape_is_400()
    {
        var response = await stack.Http.PostAsync(ConnectPath, new StringContent("""{"agentId": ["x"], "metadata": 5}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_connect_that_fails_leaves_its_token_for_the_retry_which_uses_it()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("retry").ToLowerInvariant();
        var token = await owner.MintedToken(agentId);

        HttpResponseMessage failed;
        await using (await TableObstacle.Install(stack.Postgres, "taskboard_agents", $"NEW.handle = '{agentId}'"))
            failed = await stack.Connect(new { registrationToken = token, agentId });
        Assert.False(failed.IsSuccessStatusCode, $"{(int)failed.StatusCode}: the row write was refused");
        Assert.Null(await stack.TaskboardAgentRow(agentId));

        var retried = await stack.Connect(new { registrationToken = token, agentId });
        var body = await retried.ReadJson();
        Assert.True(retried.StatusCode == HttpStatusCode.Created, $"{(int)retried.StatusCode} {body}");
        using var agent = stack.AsAgent(body.Connection().GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"{TaskboardClient.Base}/agents/me")).StatusCode);
        // Used now: once.
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Connect(new { registrationToken = token, agentId })).StatusCode);
    }

    static async Task Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not hold within 10 seconds");
            await Task.Delay(100);
        }
    }
}
