using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Grains.Identity;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class AgentRegistrationTests(ActorsStack stack)
{
    [Fact]
    public async Task Register_returns_the_documented_shape_and_a_prefixed_key_once()
    {
        var response = await stack.Http.PostAsJsonAsync("/market/api/agents/register",
            new { name = "My Agent", description = "An AI agent that does cool things" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJson();
        var agent = body.GetProperty("agent");
        Assert.StartsWith("agt_", agent.GetProperty("id").GetString());
        Assert.Equal("My Agent", agent.GetProperty("name").GetString());
        Assert.Equal("ACTIVE", agent.GetProperty("status").GetString());
        Assert.Matches("^toku_agent_[0-9A-Za-z]{40}$", agent.GetProperty("apiKey").GetString());
        Assert.Matches("^my-agent-[0-9a-f]{6}$", agent.GetProperty("referralCode").GetString());
        Assert.Contains("Save your API key", body.GetProperty("important").GetString());

        using var me = stack.AsAgent(agent.GetProperty("apiKey").GetString()!);
        var profile = await (await me.GetAsync("/market/api/agents/me")).ReadJson();
        Assert.DoesNotContain("apiKey", profile.GetProperty("agent").ToString());
    }

    [Fact]
    public async Task Me_patch_and_setup_follow_the_profile()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var me = await agent.GetAsync("/market/api/agents/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = (await me.ReadJson()).GetProperty("agent");
        Assert.Equal(registered.Id, profile.GetProperty("id").GetString());
        Assert.Equal(0, profile.GetProperty("jobsCompleted").GetInt32());
        Assert.Equal(0, profile.GetProperty("services").GetArrayLength());

        var setup = await (await agent.GetAsync("/market/api/agents/me/setup")).ReadJson();
        Assert.Equal("1/5", setup.GetProperty("setupScore").GetString());
        Assert.True(setup.GetProperty("ready").GetBoolean());
        var email = setup.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "email");
        Assert.False(email.GetProperty("done").GetBoolean());
        Assert.Equal("PATCH", email.GetProperty("fix").GetProperty("method").GetString());
        Assert.Equal("/api/agents/me", email.GetProperty("fix").GetProperty("url").GetString());

        var patch = await agent.PatchAsJsonAsync("/market/api/agents/me", new
        {
            name = "Updated Name",
            avatarUrl = "/path/to/avatar.png",
            webhookUrl = "https://my-agent.com/webhook",
            tags = new[] { "code-review", "python" },
            ownerEmail = "Me@Example.com",
        });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var updated = (await patch.ReadJson()).GetProperty("agent");
        Assert.Equal("Updated Name", updated.GetProperty("name").GetString());
        Assert.Equal("me@example.com", updated.GetProperty("ownerEmail").GetString());
        Assert.Equal(2, updated.GetProperty("tags").GetArrayLength());
        Assert.Equal("An AI agent that does cool things", updated.GetProperty("description").GetString());

        setup = await (await agent.GetAsync("/market/api/agents/me/setup")).ReadJson();
        Assert.Equal("4/5", setup.GetProperty("setupScore").GetString());
        Assert.Contains("1 more step", setup.GetProperty("message").GetString());
        var webhook = setup.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "webhook");
        Assert.True(webhook.GetProperty("done").GetBoolean());
        Assert.False(webhook.TryGetProperty("fix", out var fix) && fix.ValueKind != System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Referral_code_links_the_new_agent_to_the_referrer()
    {
        var referrer = await stack.RegisterAgent();
        var referred = await stack.RegisterAgent(referralCode: referrer.ReferralCode);
        Assert.NotEqual(referrer.ReferralCode, referred.ReferralCode);
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());

        var unknown = await stack.Http.PostAsJsonAsync("/market/api/agents/register",
            new { name = "Someone", referralCode = "nobody-000000" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("referralCode", (await unknown.ReadJson()).GetProperty("field").GetString());
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
    }

    [Fact]
    public async Task Owner_claims_the_agent_with_the_emailed_token_once()
    {
        var owner = Unique.Email();
        var registered = await stack.RegisterAgent(ownerEmail: owner);

        var token = await MailDrop.WaitForToken(stack.MailDrop, owner, "Your claim token: ");
        var page = await stack.Http.GetAsync($"/market/claim?token={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Claim this agent", await page.Content.ReadAsStringAsync());

        var claim = await stack.Http.PostAsJsonAsync("/market/api/agents/claim", new { token });
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var body = await claim.ReadJson();
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(registered.Id, body.GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal("ACTIVE", body.GetProperty("agent").GetProperty("status").GetString());

        var again = await stack.Http.PostAsJsonAsync("/market/api/agents/claim", new { token });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var wrong = await stack.Http.PostAsJsonAsync("/market/api/agents/claim", new { token = "claim_nope" });
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);

        using var agent = stack.AsAgent(registered.ApiKey);
        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.True(me.GetProperty("claimed").GetBoolean());
    }

    [Fact]
    public async Task A_claim_token_expires_after_seven_days()
    {
        var owner = Unique.Email();
        var registered = await stack.RegisterAgent(ownerEmail: owner);
        var token = await MailDrop.WaitForToken(stack.MailDrop, owner, "Your claim token: ");

        stack.Clock.Advance(TimeSpan.FromDays(7));
        var claim = await stack.Http.PostAsJsonAsync("/market/api/agents/claim", new { token });

        Assert.Equal(HttpStatusCode.Gone, claim.StatusCode);
        using (var claimed = stack.AsAgent(registered.ApiKey))
            Assert.False((await (await claimed.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("claimed").GetBoolean());

        // The clean-up reminder forgets the expired token (its tick is driven by hand here).
        var grain = stack.SiloServices.GetRequiredService<IGrainFactory>()
            .GetGrain<IClaimTokenGrain>("clm_" + SecretHash.Of(token));
        await grain.AsReference<IRemindable>().ReceiveReminder(ClaimTokenGrain.CleanupReminder, default);
        await grain.AsReference<IRemindable>().ReceiveReminder(ClaimTokenGrain.CleanupReminder, default);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Http.PostAsJsonAsync("/market/api/agents/claim", new { token })).StatusCode);

        var fresh = await stack.RegisterAgent();
        using var agent = stack.AsAgent(fresh.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/market/api/agents/me")).StatusCode);
    }

    [Theory]
    [InlineData("""{"description":"no name"}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":123}""", "name")]
    [InlineData("""{"name":"ok","ownerEmail":"not-an-email"}""", "ownerEmail")]
    [InlineData("""{"name":"ok","description":["wrong","type"]}""", "description")]
    public async Task Bad_registration_is_a_400_naming_the_field(string json, string field)
    {
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());
        var response = await stack.Http.PostAsync("/market/api/agents/register", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJson();
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains(field, body.GetProperty("error").GetString());
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
    }

    [Fact]
    public async Task A_bad_field_beside_an_owner_email_creates_nothing_and_emails_nobody()
    {
        var owner = Unique.Email("owner");
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());

        var response = await stack.Http.PostAsJsonAsync("/market/api/agents/register",
            new { name = "ok", ownerEmail = owner, description = new string('d', 100_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("description", (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
        Assert.Equal(0, await stack.CountWhenDelivered(owner));
    }

    [Fact]
    public async Task A_10_kB_name_is_rejected_and_nothing_is_created()
    {
        var name = new string('x', 10 * 1024);
        var response = await stack.Http.PostAsJsonAsync("/market/api/agents/register", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await response.ReadJson()).GetProperty("field").GetString());
        var search = await (await stack.Http.GetAsync("/market/api/agents?q=xxxxxxxxxxxxxxxxxxxx")).ReadJson();
        Assert.Equal(0, search.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Malformed_and_missing_bodies_are_400s()
    {
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());
        var broken = await stack.Http.PostAsync("/market/api/agents/register", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        var empty = await stack.Http.PostAsync("/market/api/agents/register", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("body", (await empty.ReadJson()).GetProperty("error").GetString());
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
    }

    [Fact]
    public async Task Bad_patch_is_a_400_and_changes_nothing()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);

        var response = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = "Fine", webhookUrl = "ftp://nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhookUrl", (await response.ReadJson()).GetProperty("field").GetString());
        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.Equal(registered.Name, me.GetProperty("name").GetString());
        Assert.Equal(registered.Name, await stack.Postgres.Scalar("SELECT name FROM agent_directory WHERE agent_id = @id", ("id", registered.Id)));
    }
}
