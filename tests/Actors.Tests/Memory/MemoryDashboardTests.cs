using Actors.Tests.Infrastructure;

namespace Actors.Tests.Memory;

/// <summary>After a claim, the human sees the machine on their dashboard, in a real browser.</summary>
[Collection(StackCollection.Name)]
public sealed class MemoryDashboardTests(ActorsStack stack)
{
    [Fact]
    public async Task A_claimed_machine_shows_on_the_humans_dashboard_with_its_memories_and_storage()
    {
        var machine = await stack.RegisterMachine(platform: "macos");
        using var agent = stack.AsAgent(machine.ApiKey);
        await agent.Store(new string('a', 1000), "editor");
        await agent.Store(new string('b', 536));
        var unclaimed = await stack.RegisterMachine();
        var email = Unique.Email("owner");

        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var (machineId, token) = await stack.ClaimLink(email);
        await (await stack.ConfirmClaim(machineId, token)).Data();
        var before = stack.Clock.GetUtcNow().UtcDateTime;
        await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
        var after = stack.Clock.GetUtcNow().UtcDateTime;

        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl);
        await page.SignIn(stack, email, "/dashboard");

        var row = page.Locator($"#machines tr[data-machine='{machine.UserId}']");
        Assert.Equal("macmini-office", await row.Locator(".hostname").TextContentAsync());
        Assert.Equal("macos", await row.Locator(".platform").TextContentAsync());
        Assert.Contains(await row.Locator(".claimed").TextContentAsync(),
            new[] { before, after }.Select(t => t.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("2", await row.Locator(".memories").TextContentAsync());
        Assert.Equal("1.5KB", await row.Locator(".storage").TextContentAsync());
        Assert.Equal(0, await page.Locator($"tr[data-machine='{unclaimed.UserId}']").CountAsync());

        // The count follows the machine's memory space.
        await agent.Store("one more");
        await page.ReloadAsync();
        Assert.Equal("3", await row.Locator(".memories").TextContentAsync());
    }

    [Fact]
    public async Task A_human_without_machines_is_told_so()
    {
        var (_, _, email) = await stack.ApprovedLink();
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl);
        await page.SignIn(stack, email, "/dashboard");
        Assert.Contains("No machines", await page.TextContentAsync("#no-machines"));
    }
}
