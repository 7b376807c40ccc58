using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// POST /taskboard/api/agents/register-token (the owner's session, JSON, this site) and the token's
/// single use at connect: forged, used, expired and other-agentId tokens are all the same 401.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RegistrationTokenTests(ActorsStack stack)
{
    const string Refused = "Invalid, used or expired registration token";
    const string MintPath = $"{TaskboardClient.Base}/agents/register-token";

    static object MintBody(string ownerId, string agentId) => new { ownerId, agentId, agentName = "Bot", capabilities = new[] { "CODING" } };

    [Fact]
    public async Task Minting_without_a_session_is_401_even_with_an_agent_key_and_keeps_nothing()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);
        var tokens = await stack.RegistrationTokensKept();

        var anonymous = await stack.Http.PostAsJsonAsync(MintPath, MintBody(owner.UserId, Unique.Name("bot")));
        using var asAgent = stack.AsAgent(agent.ApiKey);
        var withKey = await asAgent.PostAsJsonAsync(MintPath, MintBody(owner.UserId, Unique.Name("bot")));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.False((await anonymous.ReadJson()).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
    }

    [Fact]
    public async Task Another_owner_s_id_is_403_a_missing_one_400()
    {
        using var owner = await stack.SignUpClient();
        using var other = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var tokens = await stack.RegistrationTokensKept();

        var foreign = await owner.MintToken(agentId, ownerId: other.UserId);
        var missing = await owner.Http.PostAsJsonAsync(MintPath, new { agentId, capabilities = new[] { "CODING" } });

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("ownerId must be your own user id", (await foreign.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("ownerId", (await missing.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
    }

    [Fact]
    public async Task A_foreign_origin_is_403_and_a_form_body_415()
    {
        using var owner = await stack.SignUpClient();
        var tokens = await stack.RegistrationTokensKept();
        using var foreign = new HttpClient { BaseAddress = stack.ApiUrl };
        foreign.DefaultRequestHeaders.Add("Cookie", owner.Cookie);
        foreign.DefaultRequestHeaders.Add("Origin", "https://evil.example.com");

        var crossSite = await foreign.PostAsJsonAsync(MintPath, MintBody(owner.UserId, Unique.Name("bot")));
        var form = await owner.Http.PostAsync(MintPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ownerId"] = owner.UserId, ["agentId"] = Unique.Name("bot"), ["capabilities"] = "CODING",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
    }

    [Theory]
    [InlineData(new[] { "CODING", "JUGGLING" }, "JUGGLING")]
    [InlineData(new[] { "coding", "" }, "''")]
    [InlineData(new string[0], "required")]
    public async Task Bad_capabilities_are_400_naming_them_and_keep_nothing(string[] capabilities, string named)
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var tokens = await stack.RegistrationTokensKept();

        var response = await owner.MintToken(agentId, capabilities);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("capabilities", body.GetProperty("field").GetString());
        Assert.Contains(named, body.GetProperty("error").GetString());
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
    }

    [Fact]
    public async Task A_bad_agent_id_or_a_long_name_is_400_naming_the_field()
    {
        using var owner = await stack.SignUpClient();
        var tokens = await stack.RegistrationTokensKept();

        var badId = await owner.MintToken("not an id!");
        var longId = await owner.MintToken(new string('a', 65));
        var longName = await owner.MintToken(Unique.Name("bot"), agentName: new string('n', 101));
        var missingCapabilities = await owner.Http.PostAsJsonAsync(MintPath, new { ownerId = owner.UserId, agentId = Unique.Name("bot") });

        Assert.Equal("agentId", (await badId.ReadJson()).GetProperty("field").GetString());
        Assert.Equal("agentId", (await longId.ReadJson()).GetProperty("field").GetString());
        Assert.Equal("agentName", (await longName.ReadJson()).GetProperty("field").GetString());
        Assert.Equal("capabilities", (await missingCapabilities.ReadJson()).GetProperty("field").GetString());
        Assert.All([badId, longId, longName, missingCapabilities], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
    }

    [Fact]
    public async Task A_blank_name_defaults_to_the_agent_id()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("Bot");
        var tokens = await stack.RegistrationTokensKept();
        var response = await owner.Http.PostAsJsonAsync(MintPath, new { ownerId = owner.UserId, agentId, agentName = " ", capabilities = new[] { "writing" } });
        var token = (await response.ReadJson()).Token();
        // What the refusal tests count: one kept token per mint.
        Assert.Equal(tokens + 1, await stack.RegistrationTokensKept());

        var connected = await stack.Connect(new { registrationToken = token, agentId });

        var connection = (await connected.ReadJson()).Connection();
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        Assert.Equal(agentId, connection.GetProperty("agentName").GetString());
        Assert.Equal(["WRITING"], connection.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_forged_token_is_401_and_connects_nothing()
    {
        var agentId = Unique.Name("bot");
        var forged = await stack.Connect(new { registrationToken = $"agent_{agentId}_{new string('x', 40)}", agentId });

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(Refused, (await forged.ReadJson()).GetProperty("error").GetString());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
    }

    [Fact]
    public async Task A_token_works_once()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);

        var first = await stack.Connect(new { registrationToken = token, agentId });
        var key = (await first.ReadJson()).Connection().GetProperty("apiKey").GetString();
        var again = await stack.Connect(new { registrationToken = token, agentId });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(Refused, (await again.ReadJson()).GetProperty("error").GetString());
        Assert.NotNull(await stack.TokenUsedAt(token));
        // The refused reuse issued no key: the first one still works.
        using var agent = stack.AsAgent(key!);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"{TaskboardClient.Base}/agents/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_past_its_hour_is_401()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);

        stack.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await stack.Connect(new { registrationToken = token, agentId });

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(Refused, (await expired.ReadJson()).GetProperty("error").GetString());
        Assert.Null(await stack.TaskboardAgentRow(agentId));
        Assert.Null(await stack.TokenUsedAt(token));
    }

    [Fact]
    public async Task A_token_presented_for_another_agent_id_is_401_and_still_works_for_its_own()
    {
        using var owner = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var otherId = Unique.Name("bot");
        var token = await owner.MintedToken(agentId);

        var wrong = await stack.Connect(new { registrationToken = token, agentId = otherId });
        var right = await stack.Connect(new { registrationToken = token, agentId = agentId.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(Refused, (await wrong.ReadJson()).GetProperty("error").GetString());
        Assert.Null(await stack.TaskboardAgentRow(otherId));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.NotNull(await stack.TaskboardAgentRow(agentId));
    }

    [Fact]
    public async Task An_agent_id_connected_to_another_owner_is_409_at_mint_and_at_connect_without_using_the_token()
    {
        using var first = await stack.SignUpClient();
        using var second = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        // Both mint while the agentId is free; the first to connect takes it.
        var secondToken = await second.MintedToken(agentId);
        var agent = await stack.ConnectAgent(first, agentId);
        var tokens = await stack.RegistrationTokensKept();

        var mint = await second.MintToken(agentId);
        var connect = await stack.Connect(new { registrationToken = secondToken, agentId });

        Assert.Equal(HttpStatusCode.Conflict, mint.StatusCode);
        Assert.Equal($"agentId '{agentId}' is already connected to another owner", (await mint.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, connect.StatusCode);
        Assert.Equal($"agentId '{agentId}' is already connected to another owner", (await connect.ReadJson()).GetProperty("error").GetString());
        Assert.Null(await stack.TokenUsedAt(secondToken));
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
        var row = await stack.TaskboardAgentRow(agentId);
        Assert.Equal(first.UserId, row![2]);
        Assert.Equal(agent.IdentityId, row[1]);
    }

    [Fact]
    public async Task The_same_owner_may_mint_again_for_its_connected_agent()
    {
        using var owner = await stack.SignUpClient();
        var agent = await stack.ConnectAgent(owner);

        var again = await owner.MintToken(agent.AgentId);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task A_json_body_of_the_wrong_shape_is_400()
    {
        using var owner = await stack.SignUpClient();
        var tokens = await stack.RegistrationTokensKept();

        var response = await owner.Http.PostAsync(MintPath, new StringContent("""{"ownerId": 5, "capabilities": "CODING"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
    }

    [Fact]
    public async Task Two_owners_tokens_for_one_agent_id_connecting_at_once_make_one_agent()
    {
        using var first = await stack.SignUpClient();
        using var second = await stack.SignUpClient();
        var agentId = Unique.Name("bot");
        var tokens = new[] { await first.MintedToken(agentId), await second.MintedToken(agentId) };

        var answers = await Task.WhenAll(tokens.Select(token => stack.Connect(new { registrationToken = token, agentId })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        var winner = Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(new[] { first, second }[winner].UserId, (await stack.TaskboardAgentRow(agentId))![2]);
        Assert.Null(await stack.TokenUsedAt(tokens[1 - winner]));
    }
}
