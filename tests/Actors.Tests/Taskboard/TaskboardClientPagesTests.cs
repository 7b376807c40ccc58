using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The client's pages over plain HTTP: <c>/register/client</c> leads into the shared magic-link
/// sign-in and back to <c>/taskboard/client</c>; the dashboard needs the session; its forms make
/// the JSON API's grain calls, answer the grains' refusals as pages, and refuse another origin.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardClientPagesTests(ActorsStack stack)
{
    const string Dashboard = "/taskboard/client";
    const string SomeTask = "task_0000000000000000000000";

    /// <summary>Every form of the dashboard, with fields it would accept.</summary>
    static readonly (string Path, Dictionary<string, string> Form)[] Forms =
    [
        ($"{Dashboard}/deposit", new() { ["amount"] = "10" }),
        ($"{Dashboard}/tokens", new() { ["agentId"] = "forged-agent", ["agentName"] = "Forged", ["capabilities"] = "CODING" }),
        ($"{Dashboard}/tasks", new() { ["title"] = "Forged task", ["description"] = "Forged", ["skills"] = "CODING", ["reward"] = "1" }),
        ($"{Dashboard}/tasks/{SomeTask}/approve", new()),
        ($"{Dashboard}/tasks/{SomeTask}/request-revision", new() { ["feedback"] = "Forged" }),
        ($"{Dashboard}/tasks/{SomeTask}/reject", new() { ["reason"] = "Forged" }),
        ($"{Dashboard}/tasks/{SomeTask}/cancel", new()),
    ];

    string Own => stack.ApiUrl.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task The_register_page_signs_up_by_magic_link_and_returns_to_the_dashboard()
    {
        using var anonymous = stack.SignedOut();

        var page = await anonymous.GetAsync("/register/client");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/signin\">", html);
        Assert.Contains("name=\"signup\" value=\"1\"", html);
        Assert.Contains("name=\"returnUrl\" value=\"/taskboard/client\"", html);
        Assert.Contains("id=\"email\"", html);
        Assert.DoesNotContain("<script", html);

        using var client = await stack.SignUpClient();
        var signedIn = await client.Http.GetAsync("/register/client");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(Dashboard, signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_dashboard_and_its_forms_send_a_signed_out_human_to_sign_in_and_back()
    {
        using var anonymous = stack.SignedOut();
        var before = await stack.TaskboardWrites();

        var page = await anonymous.GetAsync(Dashboard);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?returnUrl=" + Uri.EscapeDataString(Dashboard), page.Headers.Location!.OriginalString);
        foreach (var (path, form) in Forms)
        {
            var posted = await anonymous.PostForm(path, form, Own);
            Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)posted.StatusCode}");
            Assert.StartsWith("/signin?returnUrl=", posted.Headers.Location!.OriginalString);
        }
        Assert.Equal(before, await stack.TaskboardWrites());
    }

    [Fact]
    public async Task Every_dashboard_form_refuses_another_origin_and_changes_nothing()
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 20m);
        using var http = stack.SignedOut();
        http.DefaultRequestHeaders.Add("Cookie", client.Cookie);
        var before = await stack.WrittenFor(client.UserId);
        var boardBefore = await stack.TaskboardWrites();

        foreach (var (path, form) in Forms)
        {
            var fromElsewhere = await http.PostForm(path, form, "https://evil.example");
            var byReferer = await http.PostForm(path, form, referer: "https://evil.example/form.html");
            Assert.True(fromElsewhere.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)fromElsewhere.StatusCode}");
            Assert.True(byReferer.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)byReferer.StatusCode}");
            Assert.Contains("can only be sent from this site", await fromElsewhere.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal(boardBefore, await stack.TaskboardWrites());
        Assert.Equal(2000, await client.ClientBalance());
    }

    [Fact]
    public async Task The_deposit_form_opens_a_checkout_whose_page_credits_the_wallet()
    {
        using var client = await stack.SignUpClient();

        var posted = await client.Http.PostForm($"{Dashboard}/deposit", new() { ["amount"] = "25.50" }, Own);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var checkout = new Uri(posted.Headers.Location!.OriginalString, UriKind.RelativeOrAbsolute);
        var path = checkout.IsAbsoluteUri ? checkout.PathAndQuery : checkout.OriginalString;
        Assert.StartsWith("/pay/sandbox/cs_", path);
        Assert.Equal(0, await client.ClientBalance());

        using var browser = stack.SignedOut();
        Assert.Contains("$25.50", await (await browser.GetAsync(path)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.PostForm(path, origin: Own)).StatusCode);
        Assert.Equal(2550, await client.ClientBalance());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.234")]
    [InlineData("1000001")]
    public async Task A_deposit_amount_that_is_not_a_USDC_amount_is_a_400_page_and_opens_nothing(string amount)
    {
        using var client = await stack.SignUpClient();
        var before = await stack.WrittenFor(client.UserId);

        var posted = await client.Http.PostForm($"{Dashboard}/deposit", new() { ["amount"] = amount }, Own);
        var html = await posted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("id=\"result\"", html);
        Assert.Contains("USDC", html);
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
    }

    [Fact]
    public async Task A_form_route_sent_something_that_is_not_a_form_changes_nothing()
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 10m);
        var before = await stack.WrittenFor(client.UserId);

        foreach (var (path, _) in Forms)
        {
            var posted = await client.Http.PostAsync(path, new StringContent("{\"amount\": 10}", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(posted.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)posted.StatusCode}");
        }
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
    }

    [Fact]
    public async Task The_shared_dashboard_links_to_the_taskboard()
    {
        using var client = await stack.SignUpClient();

        var html = await (await client.Http.GetAsync("/dashboard")).Content.ReadAsStringAsync();

        Assert.Contains("id=\"taskboard-link\" href=\"/taskboard/client\"", html);
    }

    [Fact]
    public async Task The_token_form_shows_the_token_once_with_the_quick_start_and_an_agent_connects_with_it()
    {
        using var client = await stack.SignUpClient();
        var agentId = Unique.Name("paged").ToLowerInvariant();

        var posted = await client.Http.PostForm($"{Dashboard}/tokens", new()
        {
            ["agentId"] = agentId, ["agentName"] = "Paged Agent's", ["capabilities"] = "CODING",
        }, Own);
        var html = await posted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("no-store", posted.Headers.CacheControl?.ToString());
        var token = Between(html, "<code id=\"registration-token\">", "</code>");
        Assert.StartsWith($"agent_{agentId}_", token);
        var curl = System.Net.WebUtility.HtmlDecode(Between(html, "<pre id=\"quick-start\">", "</pre>"));
        Assert.Contains($"curl -X POST {Own}/taskboard/api/agents/connect", curl);
        Assert.Contains($"\"registrationToken\": \"{token}\"", curl);
        Assert.Contains("Paged Agent'\\''s", curl); // the name's quote survives the shell's single quotes

        var connected = await stack.Connect(new { registrationToken = token, agentId, agentName = "Paged Agent's", capabilities = new[] { "CODING" } });
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        Assert.Equal(client.UserId, (await connected.ReadJson()).GetProperty("connection").GetProperty("ownerId").GetString());
    }

    [Theory]
    [InlineData("", "CODING", "agentId")]
    [InlineData("not a handle!", "CODING", "agentId")]
    [InlineData("fine-agent", "", "capabilities")]
    [InlineData("fine-agent", "PAINTING", "capabilities")]
    public async Task A_token_form_the_rules_refuse_is_a_400_page_and_mints_nothing(string agentId, string capability, string says)
    {
        using var client = await stack.SignUpClient();
        var tokens = await stack.RegistrationTokensKept();
        var form = new Dictionary<string, string> { ["agentId"] = agentId };
        if (capability != "") form["capabilities"] = capability;

        var posted = await client.Http.PostForm($"{Dashboard}/tokens", form, Own);
        var html = await posted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains(says, html);
        Assert.DoesNotContain("registration-token", html);
        Assert.Equal(tokens, await stack.RegistrationTokensKept());
    }

    [Fact]
    public async Task The_dashboard_shows_the_clients_own_tasks_and_an_agents_delivery_as_text()
    {
        using var client = await stack.SignUpClient();
        using var other = await stack.SignUpClient();
        await stack.FundClient(client, 10m);
        await stack.FundClient(other, 10m);
        var agent = await stack.ConnectAgent(client);
        var taskId = (await client.PostedTask(reward: 10m)).GetProperty("id").GetString()!;
        var othersTask = (await other.PostedTask(reward: 10m)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await stack.Claim(taskId, agent.ApiKey, agent.AgentId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stack.Deliver(taskId, agent.ApiKey, agent.AgentId, "<script>alert(1)</script> done")).StatusCode);

        var page = await client.Http.GetAsync(Dashboard);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"<code id=\"user-id\">{client.UserId}</code>", html);
        Assert.Contains("<strong id=\"balance\">0.00 USDC</strong>", html);
        Assert.Contains($"data-task=\"{taskId}\"", html);
        Assert.DoesNotContain(othersTask, html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; done", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains($"data-agent=\"{agent.AgentId}\"", html);
    }

    [Fact]
    public async Task A_review_button_for_a_task_of_another_client_is_a_404_page_and_changes_nothing()
    {
        using var client = await stack.SignUpClient();
        using var stranger = await stack.SignUpClient();
        await stack.FundClient(client, 10m);
        var taskId = (await client.PostedTask(reward: 10m)).GetProperty("id").GetString()!;
        var before = await stack.WrittenFor(client.UserId);

        var cancelled = await stranger.Http.PostForm($"{Dashboard}/tasks/{taskId}/cancel", [], Own);
        var unknown = await stranger.Http.PostForm($"{Dashboard}/tasks/not-a-task/approve", [], Own);

        Assert.Equal(HttpStatusCode.NotFound, cancelled.StatusCode);
        Assert.Contains("Task not found", await cancelled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal("OPEN", (await stack.GetTask(taskId, client: client)).GetProperty("status").GetString());
    }

    static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"{start} not in the page");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
