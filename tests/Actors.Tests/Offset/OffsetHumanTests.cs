using System.Net;
using Actors.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Actors.Tests.Offset;

/// <summary>The human side in a real browser: approve from the email, sign in by magic link, revoke.</summary>
[Collection(StackCollection.Name)]
public sealed class OffsetHumanTests(ActorsStack stack)
{
    [Fact]
    public async Task A_human_approves_signs_in_sees_the_agent_and_revokes_it_in_a_browser()
    {
        var agent = await stack.RegisterOffsetAgent(name: Unique.Name("Aria"));
        var email = Unique.Email("browser");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl);

        // The approval email's link: opening it shows a button and changes nothing.
        var approveUrl = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");
        await page.GotoAsync(approveUrl);
        Assert.Equal("pending", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        await page.ClickAsync("#approve");
        Assert.Contains("Approved", await page.TextContentAsync("#result"));
        Assert.Equal("approved", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await agent.ReportUsage(linkId, 5000, 1000)).StatusCode);

        // Signed out, the dashboard sends the human to sign in; the magic link brings them back.
        await page.GotoAsync("/dashboard");
        Assert.EndsWith("/signin?returnUrl=%2Fdashboard", page.Url);
        await page.FillAsync("#email", email);
        await page.ClickAsync("#send");
        Assert.Contains("If an account exists", await page.TextContentAsync("#result"));
        var signInUrl = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        await page.GotoAsync(signInUrl);
        await page.ClickAsync("#confirm");
        await page.WaitForSelectorAsync("#agents");
        Assert.EndsWith("/dashboard", page.Url);

        var row = page.Locator($"tr[data-link='{linkId}']");
        Assert.Equal("approved", await row.Locator(".status").TextContentAsync());
        Assert.Equal("6,000", await row.Locator(".tokens").TextContentAsync());
        Assert.StartsWith("Aria", await row.Locator(".agent").TextContentAsync());

        await page.GotoAsync("/dashboard/settings");
        await page.Locator($"tr[data-link='{linkId}'] button.revoke").ClickAsync();
        await page.Locator($"tr[data-link='{linkId}'] button.revoke").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.EndsWith("/dashboard/settings", page.Url);
        Assert.Equal("revoked", await page.Locator($"tr[data-link='{linkId}'] .status").TextContentAsync());

        // From now on the agent's bearer is rejected for this human's link.
        var reported = await stack.UsageEventsOf(linkId);
        var report = await agent.ReportUsage(linkId);
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.Equal(reported, await stack.UsageEventsOf(linkId));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.UsageSummary(linkId)).StatusCode);
        Assert.Equal("revoked", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        // ...and batched reports no longer reach it without its grain.
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM reportable_links WHERE link_id = @link", ("link", linkId)));

        // The sign-in link worked once.
        var second = await browser.NewPage(stack.ApiUrl);
        var reuse = await second.GotoAsync(signInUrl);
        Assert.Equal(404, reuse!.Status);
    }
}
