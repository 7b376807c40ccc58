using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Offset;

[Collection(StackCollection.Name)]
public sealed class OffsetPlanTests(ActorsStack stack)
{
    [Fact]
    public async Task Usage_bands_are_public_from_casual_to_extreme()
    {
        var response = await stack.Http.GetAsync("/offset/api/agents/usage-bands");
        var body = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bands = body.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ToList();
        Assert.Equal("Casual", bands[0]);
        Assert.Equal("Extreme", bands[^1]);
        Assert.Contains("Worker", bands);
    }

    [Fact]
    public async Task Set_plan_by_band_or_custom_amount_shows_in_the_summary()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();

        var byBand = await agent.SetPlan(new { linkId, band = "worker" });
        var plan = (await byBand.ReadJson()).GetProperty("plan");
        Assert.Equal(HttpStatusCode.OK, byBand.StatusCode);
        Assert.Equal("worker", plan.GetProperty("band").GetString());
        Assert.Equal(1000, plan.GetProperty("monthlyAmountCents").GetInt64());

        var custom = await agent.SetPlan(new { linkId, monthlyAmountCents = 2500 });
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal("custom", summary.GetProperty("plan").GetProperty("type").GetString());
        Assert.Equal(2500, summary.GetProperty("plan").GetProperty("monthlyAmountCents").GetInt64());

        Assert.Equal(HttpStatusCode.BadRequest, (await agent.SetPlan(new { linkId, band = "galactic" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.SetPlan(new { linkId })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.SetPlan(new { linkId, monthlyAmountCents = -1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.SetPlan(new { linkId, band = "worker", monthlyAmountCents = 500 })).StatusCode);
        var kept = (await (await agent.UsageSummary(linkId)).ReadJson()).GetProperty("plan");
        Assert.Equal("custom", kept.GetProperty("type").GetString());
        Assert.Equal(2500, kept.GetProperty("monthlyAmountCents").GetInt64());
    }

    [Fact]
    public async Task Provider_admin_keys_are_validated_encrypted_and_never_returned()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();
        var key = "sk-ant-admin01-" + Guid.NewGuid().ToString("N") + "a3b9";

        var response = await agent.ConnectProvider(linkId, "anthropic", key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(key, text);
        Assert.Equal("sk-ant-admin…a3b9", (await response.ReadJson()).GetProperty("keyHint").GetString());

        var summary = await (await agent.UsageSummary(linkId)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, summary);
        Assert.Contains("anthropic", summary);

        Assert.Equal(0L, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE convert_from(payload, 'UTF8') LIKE @k", ("k", "%" + key[20..] + "%")))!);
        Assert.Equal(1L, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE grain_id_ext LIKE @l", ("l", "%" + linkId + "%")))!);
        Assert.True((long)(await stack.Postgres.Scalar("SELECT count(*) FROM data_protection_keys"))! >= 1);

        Assert.Equal(HttpStatusCode.BadRequest, (await agent.ConnectProvider(linkId, "anthropic", "sk-ant-api03-notadmin-aaaaaaaaaaaaaaaaaaaa")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.ConnectProvider(linkId, "openai", "sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.ConnectProvider(linkId, "gemini", "sk-admin-aaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode);
        var providers = (await (await agent.UsageSummary(linkId)).ReadJson()).GetProperty("providers");
        Assert.Equal("anthropic", Assert.Single(providers.EnumerateArray()).GetProperty("provider").GetString());
        Assert.Equal(HttpStatusCode.OK, (await agent.ConnectProvider(linkId, "openai", "sk-admin-" + Guid.NewGuid().ToString("N"))).StatusCode);
    }

    [Fact]
    public async Task Plans_and_providers_need_an_approved_link()
    {
        var agent = await stack.RegisterOffsetAgent();
        var linkId = (await agent.SignUpUser(Unique.Email("pending"))).GetProperty("linkId").GetString()!;

        Assert.Equal(HttpStatusCode.Conflict, (await agent.SetPlan(new { linkId, band = "casual" })).StatusCode);
        var key = "sk-admin-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Conflict, (await agent.ConnectProvider(linkId, "openai", key)).StatusCode);

        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal("pending", summary.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, summary.GetProperty("plan").ValueKind);
        Assert.Equal(0, summary.GetProperty("providers").GetArrayLength());
        Assert.Equal(0L, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE grain_id_ext LIKE @l AND convert_from(payload, 'UTF8') LIKE '%openai%'",
            ("l", "%" + linkId + "%")))!);
    }
}
