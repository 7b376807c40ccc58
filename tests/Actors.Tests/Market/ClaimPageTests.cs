using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>The owner's claim link in a real browser with JavaScript off: a plain form does the claim.</summary>
[Collection(StackCollection.Name)]
public sealed class ClaimPageTests(ActorsStack stack)
{
    [Fact]
    public async Task The_owner_claims_the_agent_from_the_emailed_link_with_JavaScript_off()
    {
        var owner = Unique.Email("owner");
        var registered = await stack.RegisterAgent(ownerEmail: owner);
        using var agent = stack.AsAgent(registered.ApiKey);
        var link = await MailDrop.WaitForLine(stack.MailDrop, owner, stack.ApiUrl + "market/claim?");
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl, javaScript: false);

        await page.GotoAsync(link);
        Assert.False(await Claimed(agent));
        var claimed = await page.Submit("#claim");

        Assert.Equal(200, claimed.Status);
        Assert.Equal($"Claimed {registered.Name}. It is recorded as yours, its verified owner.", await page.TextContentAsync("#result"));
        Assert.True(await Claimed(agent));

        // The link works once: pressing its button again says so, with the JSON endpoint's status.
        await page.GotoAsync(link);
        var again = await page.Submit("#claim");
        Assert.Equal(409, again.Status);
        Assert.Contains("already been used", await page.TextContentAsync("#result"));
    }

    [Fact]
    public async Task The_claim_form_refuses_unknown_tokens_and_bodies_that_are_not_forms()
    {
        var unknown = await stack.Http.PostAsync("/market/claim", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "claim_nope" }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Invalid claim token", await unknown.Content.ReadAsStringAsync());

        var json = await stack.Http.PostAsync("/market/claim", new StringContent("{\"token\":\"claim_nope\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    static async Task<bool> Claimed(HttpClient agent) =>
        (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("claimed").GetBoolean();
}
