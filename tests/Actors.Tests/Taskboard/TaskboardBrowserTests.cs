using System.Net;
using Actors.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The seed's flow with a human in a real browser (Chromium, JavaScript off: plain forms do it all):
/// register at /register/client, sign up by the emailed link, fund the wallet through the sandbox
/// checkout, mint a registration token, post a task, review the agent's delivery; the agent side
/// over HTTP as the seed's agent would.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardBrowserTests(ActorsStack stack)
{
    const string Dashboard = "/taskboard/client";

    [Fact]
    public async Task A_client_registers_funds_mints_a_token_posts_a_task_and_approves_the_delivery_in_a_browser()
    {
        var email = Unique.Email("client");
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl, javaScript: false);

        // The seed's step 1: register as a human at /register/client; the emailed link brings them to the dashboard.
        await page.GotoAsync("/register/client");
        await page.FillAsync("#email", email);
        await page.Submit("#register");
        Assert.Contains("creates your account", await page.TextContentAsync("#result"));
        var link = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        await page.GotoAsync(link);
        await page.Submit("#confirm");
        await page.WaitForPath(p => p == Dashboard);
        var userId = (await page.TextContentAsync("#user-id"))!;
        Assert.StartsWith("usr_", userId);
        Assert.Equal("0.00 USDC", await page.TextContentAsync("#balance"));

        // Funds through the sandbox checkout, and back.
        await page.FillAsync("#deposit-amount", "150");
        await page.Submit("#deposit");
        await page.WaitForPath(p => p.StartsWith("/pay/sandbox/cs_", StringComparison.Ordinal));
        Assert.Equal("$150.00 USD", await page.TextContentAsync("#amount"));
        await page.Submit("#pay");
        Assert.Contains("added to your wallet", await page.TextContentAsync("#result"));
        await page.ClickAsync("#back");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Equal("150.00 USDC", await page.TextContentAsync("#balance"));

        // Step 2: the registration token, shown once, with the Quick Start's curl filled in.
        var agentId = Unique.Name("browser").ToLowerInvariant();
        await page.FillAsync("#agent-id", agentId);
        await page.FillAsync("#agent-name", "Browser Agent");
        await page.CheckAsync("#cap-coding");
        await page.CheckAsync("#cap-debugging");
        await page.Submit("#mint-token");
        var token = (await page.TextContentAsync("#registration-token"))!;
        Assert.StartsWith($"agent_{agentId}_", token);
        Assert.Contains(token, await page.TextContentAsync("#quick-start"));
        await page.ClickAsync("#back");
        await page.WaitForPath(p => p == Dashboard);
        Assert.DoesNotContain(token, await page.ContentAsync());

        // Step 3: the agent connects with it (HTTP, as the seed's curl) and shows among the owner's agents.
        var connected = await stack.Connect(new { registrationToken = token, agentId, agentName = "Browser Agent", capabilities = new[] { "CODING", "DEBUGGING" } });
        var connection = (await connected.ReadJson()).GetProperty("connection");
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        Assert.Equal(userId, connection.GetProperty("ownerId").GetString());
        var apiKey = connection.GetProperty("apiKey").GetString()!;
        await page.ReloadAsync();
        Assert.Equal("Browser Agent", await page.Locator($"#agents tr[data-agent='{agentId}'] .name").TextContentAsync());

        // The client posts a task in the page: its reward leaves the wallet for escrow.
        var title = Unique.Name("Fix Socket.io Connection");
        await page.FillAsync("#task-title", title);
        await page.FillAsync("#task-description", "The client drops its connection after 30 seconds.");
        await page.CheckAsync("#skill-coding");
        await page.FillAsync("#task-reward", "100");
        await page.FillAsync("#task-deadline", "48");
        await page.Submit("#post-task");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Contains("Task posted", await page.TextContentAsync("#message"));
        Assert.Equal("50.00 USDC", await page.TextContentAsync("#balance"));
        var row = page.Locator("#tasks tbody tr", new() { HasText = title });
        var taskId = (await row.GetAttributeAsync("data-task"))!;
        Assert.Equal("OPEN", await row.Locator(".status").TextContentAsync());
        Assert.Equal("100.00 USDC", await row.Locator(".reward").TextContentAsync());

        // Steps 2-4 of the agent: poll, claim, deliver (HTTP).
        var polled = await (await stack.Poll($"?agentId={agentId}&skills=CODING&limit=100", apiKey)).ReadJson();
        Assert.Contains(polled.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("id").GetString() == taskId);
        Assert.Equal(HttpStatusCode.OK, (await stack.Claim(taskId, apiKey, agentId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stack.Deliver(taskId, apiKey, agentId, "Fixed the race in the handler")).StatusCode);

        // The client sees the delivery on the dashboard and approves it: the agent is paid (less the 10 % fee).
        await page.ReloadAsync();
        row = page.Locator($"#tasks tr[data-task='{taskId}']");
        Assert.Equal("SUBMITTED", await row.Locator(".status").TextContentAsync());
        Assert.Equal(agentId, await row.Locator(".claimant").TextContentAsync());
        Assert.Equal("Fixed the race in the handler", await row.Locator(".delivery-summary").TextContentAsync());
        Assert.Equal("https://github.com/openclaw/pr/pull/123", await row.Locator(".delivery-url").GetAttributeAsync("href"));
        await page.Submit($"#tasks tr[data-task='{taskId}'] button.approve");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Contains("Approved", await page.TextContentAsync("#message"));
        Assert.Equal("COMPLETED", await page.Locator($"#tasks tr[data-task='{taskId}'] .status").TextContentAsync());
        Assert.Equal(0, await page.Locator($"#tasks tr[data-task='{taskId}'] button").CountAsync());
        Assert.Equal(9000, await stack.WalletBalance(apiKey));
        Assert.Equal("50.00 USDC", await page.TextContentAsync("#balance"));
        Assert.Equal(0, await stack.AccountsBelowZero());
    }

    [Fact]
    public async Task A_client_sends_a_delivery_back_rejects_the_revision_and_cancels_an_open_task_in_a_browser()
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 100m);
        var agent = await stack.ConnectAgent(client);
        await using var browser = await Browser.Launch();
        var page = await SignedIn(browser, client);

        var sentBack = (await client.PostedTask(reward: 60m)).GetProperty("id").GetString()!;
        var open = (await client.PostedTask(reward: 40m)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await stack.Claim(sentBack, agent.ApiKey, agent.AgentId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stack.Deliver(sentBack, agent.ApiKey, agent.AgentId, "First attempt")).StatusCode);
        await page.GotoAsync(Dashboard);
        Assert.Equal("0.00 USDC", await page.TextContentAsync("#balance"));

        // Request revision with feedback: back IN_PROGRESS for the same agent, who is told what to change.
        var row = page.Locator($"#tasks tr[data-task='{sentBack}']");
        await row.Locator("input.feedback").FillAsync("Please add a test for the reconnect");
        await page.Submit($"#tasks tr[data-task='{sentBack}'] button.request-revision");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Equal("IN_PROGRESS", await row.Locator(".status").TextContentAsync());
        Assert.Equal(0, await row.Locator("button").CountAsync());
        var task = await stack.GetTask(sentBack, client: client);
        Assert.Equal("Please add a test for the reconnect", task.GetProperty("feedback").GetString());
        Assert.Equal(1, task.GetProperty("revisions").GetInt32());

        // The agent delivers again; the client rejects it with a reason: the reward comes back.
        Assert.Equal(HttpStatusCode.OK, (await stack.Deliver(sentBack, agent.ApiKey, agent.AgentId, "Second attempt")).StatusCode);
        await page.ReloadAsync();
        Assert.Equal("Second attempt", await row.Locator(".delivery-summary").TextContentAsync());
        await row.Locator("input.reason").FillAsync("Still drops the connection");
        await page.Submit($"#tasks tr[data-task='{sentBack}'] button.reject");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Contains("Rejected", await page.TextContentAsync("#message"));
        Assert.Equal("REJECTED", await row.Locator(".status").TextContentAsync());
        Assert.Equal("60.00 USDC", await page.TextContentAsync("#balance"));
        Assert.Equal("Still drops the connection", (await stack.GetTask(sentBack, client: client)).GetProperty("rejectionReason").GetString());

        // An OPEN task has Cancel: the reward comes back too.
        await page.Submit($"#tasks tr[data-task='{open}'] button.cancel");
        await page.WaitForPath(p => p == Dashboard);
        Assert.Equal("CANCELLED", await page.Locator($"#tasks tr[data-task='{open}'] .status").TextContentAsync());
        Assert.Equal("100.00 USDC", await page.TextContentAsync("#balance"));
        Assert.Equal(0, await stack.WalletBalance(agent.ApiKey));
    }

    [Fact]
    public async Task A_refused_form_shows_the_rules_message_with_its_status_in_a_browser()
    {
        using var client = await stack.SignUpClient();
        await using var browser = await Browser.Launch();
        var page = await SignedIn(browser, client);
        await page.GotoAsync(Dashboard);

        // No money in the wallet: the task's reward cannot be escrowed (402), and nothing is posted.
        await page.FillAsync("#task-title", "Unfunded task");
        await page.FillAsync("#task-description", "Nobody pays for this.");
        await page.CheckAsync("#skill-writing");
        await page.FillAsync("#task-reward", "5");
        var refused = await page.Submit("#post-task");

        Assert.Equal(402, refused.Status);
        Assert.Contains("Insufficient balance", await page.TextContentAsync("#result"));
        await page.GotoAsync(Dashboard);
        Assert.Equal(1, await page.Locator("#no-tasks").CountAsync());
    }

    /// <summary>A browser page carrying the client's session (signed in over HTTP already).</summary>
    async Task<IPage> SignedIn(Browser browser, TaskboardHuman client)
    {
        var page = await browser.NewPage(stack.ApiUrl, javaScript: false);
        var (name, value) = (client.Cookie.Split('=', 2)[0], client.Cookie.Split('=', 2)[1]);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = name, Value = value, Url = stack.ApiUrl.GetLeftPart(UriPartial.Authority) }]);
        return page;
    }
}
