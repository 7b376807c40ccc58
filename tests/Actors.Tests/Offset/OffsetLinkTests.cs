using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Humans;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Offset;

[Collection(StackCollection.Name)]
public sealed class OffsetLinkTests(ActorsStack stack)
{
    [Fact]
    public async Task Register_returns_a_to_agent_key_shown_once()
    {
        var response = await stack.Http.PostAsJsonAsync("/offset/api/agents/register", new
        {
            name = "Aria Coding Agent", ownerEmail = "ops@aria.example",
            description = "An autonomous coding agent. Each user pays per-task.", websiteUrl = "https://aria.example",
        });
        var body = await response.ReadJson();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("agt_", body.GetProperty("agentId").GetString());
        Assert.StartsWith("to_agent_", body.GetProperty("apiKey").GetString());
        Assert.Equal("to_agent", body.GetProperty("apiKeyPrefix").GetString());
        Assert.Equal("Save this apiKey somewhere safe. It's only shown once.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Register_refuses_a_missing_name_and_a_bad_website()
    {
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());
        var noName = await stack.Http.PostAsJsonAsync("/offset/api/agents/register", new { ownerEmail = "ops@aria.example" });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal("name", (await noName.ReadJson()).GetProperty("field").GetString());

        var badSite = await stack.Http.PostAsJsonAsync("/offset/api/agents/register", new { name = "x", websiteUrl = "javascript:alert(1)" });
        Assert.Equal(HttpStatusCode.BadRequest, badSite.StatusCode);
        Assert.Equal("websiteUrl", (await badSite.ReadJson()).GetProperty("field").GetString());
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
    }

    [Fact]
    public async Task Signup_user_then_approve_by_email_then_link_status_is_approved()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("jordan");

        var signup = await agent.SignUpUser(email);
        Assert.StartsWith("lnk_", signup.GetProperty("linkId").GetString());
        Assert.Equal("pending", signup.GetProperty("status").GetString());
        Assert.True(signup.GetProperty("userCreated").GetBoolean());
        Assert.False(signup.GetProperty("reusedExistingLink").GetBoolean());
        var linkId = signup.GetProperty("linkId").GetString()!;

        var pending = await (await agent.LinkStatus(linkId)).ReadJson();
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(JsonValueKindNull, pending.GetProperty("approvedAt").ValueKind);
        var requestedAt = pending.GetProperty("requestedAt").GetInt64();
        Assert.InRange(requestedAt, stack.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds(), stack.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        var approved = await stack.ApproveByEmail(email);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var status = await (await agent.LinkStatus(linkId)).ReadJson();
        Assert.Equal(linkId, status.GetProperty("linkId").GetString());
        Assert.Equal("approved", status.GetProperty("status").GetString());
        Assert.False(status.GetProperty("exclusiveAgent").GetBoolean());
        Assert.True(status.GetProperty("approvedAt").GetInt64() >= requestedAt);
    }

    static readonly System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Opening_the_approval_page_changes_nothing()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("scanner");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await stack.Http.GetAsync(url)).StatusCode);

        Assert.Equal("pending", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        var page = await stack.Http.GetStringAsync(url);
        Assert.Contains("method=\"post\"", page);
    }

    [Fact]
    public async Task A_wrong_approval_token_approves_nothing()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("guess");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;

        var response = await stack.Http.PostAsync("/offset/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["link"] = linkId, ["token"] = "not-the-token",
        }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("pending", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_signup_for_the_same_address_within_the_hour_is_429_with_retry_after()
    {
        var first = await stack.RegisterOffsetAgent();
        var second = await stack.RegisterOffsetAgent();
        var email = Unique.Email("limited");
        await first.SignUpUser(email);

        var response = await second.SignUpUserRaw(email);
        var body = await response.ReadJson();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 3500, 3600);
        Assert.Equal(
            $"Rate limit: a confirmation email was already sent to this address recently. Try again in {retryAfter} seconds.",
            body.GetProperty("error").GetString());
        Assert.Equal(1, await WaitForOneEmail(email));
        Assert.Null(await Human(email).FindAgentLink(second.AgentId));
        Assert.Single((await Human(email).GetOverview())!.LinkIds);

        stack.Clock.Advance(TimeSpan.FromHours(1));
        var later = await second.SignUpUser(email);
        Assert.False(later.GetProperty("userCreated").GetBoolean());
    }

    async Task<int> WaitForOneEmail(string email)
    {
        await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");
        return await stack.CountWhenDelivered(email);
    }

    [Fact]
    public async Task Signing_up_the_same_user_again_reuses_the_pending_link_without_another_email()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("again");
        var first = await agent.SignUpUser(email);

        var again = await agent.SignUpUser(email);

        Assert.Equal(first.GetProperty("linkId").GetString(), again.GetProperty("linkId").GetString());
        Assert.True(again.GetProperty("reusedExistingLink").GetBoolean());
        Assert.False(again.GetProperty("userCreated").GetBoolean());
    }

    [Fact]
    public async Task Quick_signup_needs_no_key_and_is_rate_limited_per_address()
    {
        var email = Unique.Email("quick");
        var request = new
        {
            userEmail = email, userName = "Jordan Lee", agentName = "ChatGPT",
            agentDescription = "ChatGPT, acting on Jordan's behalf in a browsing session.", agentWebsiteUrl = "https://chatgpt.com",
        };

        var response = await stack.Http.PostAsJsonAsync("/offset/api/agents/quick-signup", request);
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("userCreated").GetBoolean());
        Assert.False(body.GetProperty("reusedExistingLink").GetBoolean());
        Assert.Equal("Approval email sent to the user (rate limit: 1/hour per email). The link is inactive until they click it.",
            body.GetProperty("message").GetString());
        Assert.False(body.TryGetProperty("apiKey", out _));

        var again = await (await stack.Http.PostAsJsonAsync("/offset/api/agents/quick-signup", request)).ReadJson();
        Assert.True(again.GetProperty("reusedExistingLink").GetBoolean());

        var otherProduct = await stack.Http.PostAsJsonAsync("/offset/api/agents/quick-signup", request with { agentName = "Claude" });
        Assert.Equal(HttpStatusCode.TooManyRequests, otherProduct.StatusCode);
        Assert.NotNull(otherProduct.Headers.RetryAfter);
        Assert.StartsWith("Rate limit:", (await otherProduct.ReadJson()).GetProperty("error").GetString());

        var noName = await stack.Http.PostAsJsonAsync("/offset/api/agents/quick-signup", new { userEmail = Unique.Email() });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal("agentName", (await noName.ReadJson()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task One_account_per_email_whatever_its_case()
    {
        var first = await stack.RegisterOffsetAgent();
        var second = await stack.RegisterOffsetAgent();
        var email = Unique.Email("casey");
        Assert.True((await first.SignUpUser(email)).GetProperty("userCreated").GetBoolean());

        stack.Clock.Advance(TimeSpan.FromHours(1));
        var again = await second.SignUpUser(email.ToUpperInvariant());

        Assert.False(again.GetProperty("userCreated").GetBoolean());
    }

    [Fact]
    public async Task Another_agents_key_cannot_see_or_use_the_link()
    {
        var (owner, linkId, _) = await stack.ApprovedLink();
        var stranger = await stack.RegisterOffsetAgent();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.LinkStatus(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.ReportUsage(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.UsageLog(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.UsageSummary(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SetPlan(new { linkId, band = "worker" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.LinkStatus(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.GetAsync($"/offset/api/agents/link-status?linkId={linkId}")).StatusCode);

        // Nothing the stranger sent was kept: no usage on the link, no plan, the link as it was.
        Assert.Equal(0, await stack.UsageEventsOf(linkId));
        var summary = await (await owner.UsageSummary(linkId)).ReadJson();
        Assert.Equal(0, summary.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, summary.GetProperty("plan").ValueKind);
        Assert.Equal("approved", (await (await owner.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Link_status_without_a_link_id_is_400_and_an_unknown_one_404()
    {
        var agent = await stack.RegisterOffsetAgent();
        var missing = await agent.Http.GetAsync("/offset/api/agents/link-status");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("linkId", (await missing.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.LinkStatus("lnk_doesnotexist")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.LinkStatus("12345")).StatusCode);
    }

    [Fact]
    public async Task Usage_cannot_be_reported_before_the_human_approves()
    {
        var agent = await stack.RegisterOffsetAgent();
        var linkId = (await agent.SignUpUser(Unique.Email("sam"))).GetProperty("linkId").GetString()!;

        var response = await agent.ReportUsage(linkId);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pending", (await response.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(0, await stack.UsageEventsOf(linkId));
        Assert.Equal("pending", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_link_not_approved_within_14_days_expires_and_a_new_signup_opens_a_fresh_one()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("late");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");

        stack.Clock.Advance(TimeSpan.FromDays(14));

        Assert.Equal("expired", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await agent.ReportUsage(linkId)).StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        var late = await stack.Http.PostAsync("/offset/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["link"] = query["link"]!, ["token"] = query["token"]!,
        }));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("expired", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        Assert.Equal(0, await stack.UsageEventsOf(linkId));

        var fresh = await agent.SignUpUser(email);
        Assert.NotEqual(linkId, fresh.GetProperty("linkId").GetString());
        Assert.False(fresh.GetProperty("reusedExistingLink").GetBoolean());
        Assert.Equal("pending", fresh.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_exclusive_agent_keeps_other_agents_from_linking_the_account()
    {
        var exclusive = await stack.RegisterOffsetAgent();
        var other = await stack.RegisterOffsetAgent();
        var email = Unique.Email("exclusive");
        var signup = await exclusive.SignUpUser(email, exclusiveAgent: true);
        Assert.Equal(HttpStatusCode.OK, (await stack.ApproveByEmail(email)).StatusCode);
        var status = await (await exclusive.LinkStatus(signup.GetProperty("linkId").GetString()!)).ReadJson();
        Assert.True(status.GetProperty("exclusiveAgent").GetBoolean());

        stack.Clock.Advance(TimeSpan.FromHours(1));
        var response = await other.SignUpUserRaw(email);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        // Refused before anything was kept: no link for the other agent, no approval email.
        Assert.Null(await Human(email).FindAgentLink(other.AgentId));
        Assert.Equal([signup.GetProperty("linkId").GetString()!], (await Human(email).GetOverview())!.LinkIds);
        Assert.Equal(1, await stack.CountWhenDelivered(email));
        var still = await (await exclusive.LinkStatus(signup.GetProperty("linkId").GetString()!)).ReadJson();
        Assert.Equal("approved", still.GetProperty("status").GetString());
        Assert.True(still.GetProperty("exclusiveAgent").GetBoolean());
    }

    IHumanGrain Human(string email) =>
        stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IHumanGrain>(HumanKey.For(email));

    [Fact]
    public async Task Malformed_signup_bodies_are_400s_naming_the_field()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("typed");
        var badEmail = await agent.Http.PostAsJsonAsync("/offset/api/agents/signup-user", new { userEmail = "not-an-email" });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Equal("userEmail", (await badEmail.ReadJson()).GetProperty("field").GetString());

        var wrongType = await agent.Http.PostAsync("/offset/api/agents/signup-user",
            new StringContent($$"""{"userEmail": "{{email}}", "exclusiveAgent": "yes"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Null(await Human(email).GetAccount());
        Assert.Null(await Human(email).FindAgentLink(agent.AgentId));
        Assert.Equal(0, await stack.CountWhenDelivered(email));
    }
}
