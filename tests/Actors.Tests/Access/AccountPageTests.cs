using System.Net;
using System.Text.RegularExpressions;
using Actors.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Actors.Tests.Access;

/// <summary>The seed's Account page: sign up, create an organisation, pay for a plan (sandbox), generate and revoke keys.</summary>
[Collection(StackCollection.Name)]
public sealed partial class AccountPageTests(ActorsStack stack)
{
    [GeneratedRegex("/account/orgs/(org_[A-Za-z0-9]+)$")]
    private static partial Regex OrgPage();

    [Fact]
    public async Task A_new_human_signs_up_buys_a_plan_and_a_key_that_works_until_revoked_in_a_browser()
    {
        var article = await stack.NewArticle(tier: 3);
        var email = Unique.Email("buyer");
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl);

        // Signed out, /account sends the human to sign in; a new address signs up by the same magic link.
        await page.GotoAsync("/account");
        Assert.EndsWith("/signin?returnUrl=%2Faccount", page.Url);
        await page.FillAsync("#email", email);
        await page.CheckAsync("#signup");
        await page.ClickAsync("#send");
        Assert.Contains("creates your account", await page.TextContentAsync("#result"));
        var link = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        await page.GotoAsync(link);
        await page.ClickAsync("#confirm");
        await page.WaitForSelectorAsync("#no-orgs");

        await page.FillAsync("#org-name", "Research Agents Ltd");
        await page.ClickAsync("#create-org");
        await page.WaitForPath(OrgPage().IsMatch);
        var orgId = OrgPage().Match(page.Url).Groups[1].Value;
        Assert.Equal("None", await page.TextContentAsync("#plan"));
        Assert.Equal("inactive", await page.TextContentAsync("#status"));
        Assert.Equal("0", await page.TextContentAsync("#remaining"));

        // Choosing a plan opens the sandbox provider's checkout; opening it pays nothing.
        await page.ClickAsync("tr[data-plan='Professional'] button.choose");
        await page.WaitForPath(new Regex("/pay/sandbox/chk_[A-Za-z0-9]+$").IsMatch);
        var checkoutUrl = page.Url;
        Assert.Equal("$79.00 USD", await page.TextContentAsync("#amount"));
        await page.ClickAsync("#pay");
        await page.WaitForPath(OrgPage().IsMatch);
        Assert.Equal("Professional", await page.TextContentAsync("#plan"));
        Assert.Equal("active", await page.TextContentAsync("#status"));
        Assert.Equal("1,000", await page.TextContentAsync("#remaining"));

        // The checkout is done: its page says so, and has no pay button any more.
        await page.GotoAsync(checkoutUrl);
        Assert.StartsWith("Paid", await page.TextContentAsync("#result"));
        Assert.Equal(0, await page.Locator("#pay").CountAsync());

        // The key is shown once, on the answer to the POST that made it.
        await page.GotoAsync($"/account/orgs/{orgId}");
        await page.ClickAsync("#generate-key");
        var apiKey = (await page.TextContentAsync("#new-key"))!;
        Assert.StartsWith("agnt_", apiKey);
        await page.GotoAsync($"/account/orgs/{orgId}");
        Assert.Equal(0, await page.Locator("#new-key").CountAsync());
        Assert.DoesNotContain(apiKey, await page.ContentAsync());
        var row = page.Locator("#keys tbody tr").First;
        Assert.Equal("active", await row.Locator(".state").TextContentAsync());
        Assert.EndsWith(apiKey[^4..], await row.Locator(".hint").TextContentAsync());

        // The key authorizes content through the agent API, paid from the plan's credits.
        using var agent = stack.AsAgent(apiKey);
        var status = await (await agent.GetAsync(AccessClient.SubscriptionStatus)).ReadJson();
        Assert.Equal("Research Agents Ltd", status.GetProperty("org_name").GetString());
        Assert.Equal("Professional", status.GetProperty("plan").GetString());
        Assert.Equal(1000, status.GetProperty("monthly_limit").GetInt64());
        var authorized = await agent.AuthorizeRetrieval(article);
        var grant = await authorized.ReadJson();
        Assert.Equal(HttpStatusCode.Created, authorized.StatusCode);
        Assert.Equal(997, grant.GetProperty("remaining_credits").GetInt64());
        var content = await stack.FetchContent(grant.GetProperty("content_url").GetString()!, grant.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);

        // Revoked on the page, the key stops working within seconds (the API caches a key for 5 s at most).
        await row.Locator("button.revoke").ClickAsync();
        await row.Locator("button.revoke").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("revoked", await row.Locator(".state").TextContentAsync());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode answer;
        do
        {
            answer = (await agent.AuthorizeRetrieval(article)).StatusCode;
            if (answer == HttpStatusCode.Unauthorized) break;
            await Task.Delay(250);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, answer);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
    }

    [Fact]
    public async Task Only_the_owner_sees_or_changes_an_organisation_and_its_checkouts()
    {
        using var owner = await stack.SignUp(Unique.Email("owner"));
        using var stranger = await stack.SignUp(Unique.Email("stranger"));
        var orgId = await owner.CreateOrg("Owner Org");
        var checkout = await owner.StartCheckout(orgId, "Starter");
        var apiKey = await owner.IssueKey(orgId);
        var keyId = KeyIds(await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync()).Single();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/account/orgs/{orgId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostForm($"/account/orgs/{orgId}/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostForm($"/account/orgs/{orgId}/keys/revoke", new() { ["keyId"] = keyId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostForm($"/account/orgs/{orgId}/checkout", new() { ["plan"] = "Scale" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(checkout)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostForm(checkout)).StatusCode);
        Assert.DoesNotContain(orgId, await (await stranger.GetAsync("/account")).Content.ReadAsStringAsync());

        // Nothing the stranger tried took effect.
        using var agent = stack.AsAgent(apiKey);
        var status = await (await agent.GetAsync(AccessClient.SubscriptionStatus)).ReadJson();
        Assert.Equal("None", status.GetProperty("plan").GetString());
        Assert.Single(KeyIds(await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync()));

        // Signed out, the pages send a human to sign in and the forms change nothing.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.ApiUrl };
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/account/orgs/{orgId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.PostForm($"/account/orgs/{orgId}/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.PostForm(checkout)).StatusCode);
    }

    [Fact]
    public async Task Forms_posted_from_another_origin_change_nothing()
    {
        using var owner = await stack.SignUp(Unique.Email("owner"));
        var orgId = await owner.CreateOrg("Origin Org");
        var checkout = await owner.StartCheckout(orgId, "Starter");
        var apiKey = await owner.IssueKey(orgId);
        var keyId = KeyIds(await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync()).Single();
        const string evil = "https://evil.example";

        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostForm("/account/orgs", new() { ["name"] = "Evil" }, evil)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostForm($"/account/orgs/{orgId}/keys", origin: evil)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostForm($"/account/orgs/{orgId}/keys/revoke", new() { ["keyId"] = keyId }, evil)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostForm($"/account/orgs/{orgId}/checkout", new() { ["plan"] = "Scale" }, evil)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostForm(checkout, origin: evil)).StatusCode);

        using var agent = stack.AsAgent(apiKey);
        var status = await (await agent.GetAsync(AccessClient.SubscriptionStatus)).ReadJson();
        Assert.Equal("None", status.GetProperty("plan").GetString());
        Assert.Single(KeyIds(await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync()));
        Assert.DoesNotContain("Evil", await (await owner.GetAsync("/account")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_checkout_pays_once_upgrades_add_the_difference_and_expired_checkouts_cannot_be_paid()
    {
        using var owner = await stack.SignUp(Unique.Email("payer"));
        var orgId = await owner.CreateOrg("Upgrade Org");
        var apiKey = await owner.IssueKey(orgId);
        using var agent = stack.AsAgent(apiKey);
        var article = await stack.NewArticle(tier: 10);

        var starter = await owner.StartCheckout(orgId, "Starter");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostForm(starter)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostForm(starter)).StatusCode);
        var subscriber = new Subscriber(orgId, "Upgrade Org", apiKey, agent);
        Assert.Equal(100, await subscriber.RemainingCredits());

        Assert.Equal(HttpStatusCode.Created, (await agent.AuthorizeRetrieval(article)).StatusCode);
        Assert.Equal(90, await subscriber.RemainingCredits());

        // Upgrading mid-period adds the difference between the plans' limits: 90 + 900.
        var pro = await owner.StartCheckout(orgId, "Professional");
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => owner.PostForm(pro)));
        var status = await (await agent.GetAsync(AccessClient.SubscriptionStatus)).ReadJson();
        Assert.Equal("Professional", status.GetProperty("plan").GetString());
        Assert.Equal(990, status.GetProperty("remaining_credits").GetInt64());
        Assert.Equal(10, status.GetProperty("usage_count").GetInt64());

        // A checkout left open past its hour cannot be paid.
        var scale = await owner.StartCheckout(orgId, "Scale");
        stack.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Gone, (await owner.PostForm(scale)).StatusCode);
        Assert.Equal("Professional", (await (await agent.GetAsync(AccessClient.SubscriptionStatus)).ReadJson()).GetProperty("plan").GetString());

        // An unknown plan is refused by name.
        var bad = await owner.PostForm($"/account/orgs/{orgId}/checkout", new() { ["plan"] = "Platinum" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Starter, Professional, Scale", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_organisation_names_and_ids_are_refused()
    {
        using var owner = await stack.SignUp(Unique.Email("names"));
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostForm("/account/orgs", new() { ["name"] = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostForm("/account/orgs", new() { ["name"] = new string('x', 101) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/account/orgs/not-an-org")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/account/orgs/org_doesnotexist")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/pay/sandbox/chk_doesnotexist")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostAsync("/account/orgs", new StringContent("{}"))).StatusCode);
    }

    static List<string> KeyIds(string html) =>
        Regex.Matches(html, "data-key=\"(agt_[A-Za-z0-9]+)\"").Select(m => m.Groups[1].Value).ToList();
}

/// <summary>The Account page's forms, posted the way the browser would.</summary>
static class AccountForms
{
    public static async Task<string> CreateOrg(this HttpClient human, string name)
    {
        var created = await human.PostForm("/account/orgs", new() { ["name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return created.Headers.Location!.ToString().Split('/').Last();
    }

    /// <summary>Chooses a plan; returns the sandbox checkout page's path.</summary>
    public static async Task<string> StartCheckout(this HttpClient human, string orgId, string plan)
    {
        var started = await human.PostForm($"/account/orgs/{orgId}/checkout", new() { ["plan"] = plan });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        return started.Headers.Location!.AbsolutePath;
    }

    public static async Task<string> IssueKey(this HttpClient human, string orgId)
    {
        var issued = await human.PostForm($"/account/orgs/{orgId}/keys");
        var html = await issued.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal("no-store", issued.Headers.CacheControl?.ToString());
        return Regex.Match(html, "id=\"new-key\">(agnt_[A-Za-z0-9]+)<").Groups[1].Value;
    }
}
