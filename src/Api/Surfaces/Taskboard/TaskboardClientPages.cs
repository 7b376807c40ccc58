using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Humans;
using Actors.Grains.Platform;
using Actors.Grains.Taskboard;
using Actors.Grains.Wallets;
using Microsoft.Extensions.Primitives;

namespace Actors.Api.Surfaces.Taskboard;

/// <summary>
/// The client's pages: <c>/register/client</c> (the seed's sign-up: the shared magic-link sign-in,
/// back to the dashboard) and <c>/taskboard/client</c> (the dashboard). GET pages change nothing;
/// every form POSTs to <c>/taskboard/client/…</c>, is refused from another origin, and makes the one
/// grain call the JSON API makes for the same thing, so the rules (and refusals) are the grains'.
/// </summary>
public static class TaskboardClientPages
{
    const string Title = "Taskboard";
    const string DashboardPath = TaskboardPaths.Base + "/client";

    /// <summary>The most tasks the dashboard lists (the newest); older ones are in the JSON list.</summary>
    const int MaxTasksShown = 100;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder taskboard)
    {
        app.MapGet("/register/client", Register).ExcludeFromDescription();
        app.ServiceProvider.GetRequiredService<DashboardSections>().Add(new TaskboardDashboardSection());

        var client = taskboard.MapGroup("/client").RequireAuthorization(HumanSessions.Policy).RequireSameOrigin().ExcludeFromDescription();
        client.MapGet("/", Dashboard);
        client.MapPost("/deposit", Deposit).DisableAntiforgery();
        client.MapPost("/tokens", MintToken).DisableAntiforgery();
        client.MapPost("/tasks", PostTask).DisableAntiforgery();
        client.MapPost("/tasks/{id}/approve", Approve).DisableAntiforgery();
        client.MapPost("/tasks/{id}/request-revision", RequestRevision).DisableAntiforgery();
        client.MapPost("/tasks/{id}/reject", Reject).DisableAntiforgery();
        client.MapPost("/tasks/{id}/cancel", Cancel).DisableAntiforgery();
    }

    static IResult Register(HumanPrincipal? human)
    {
        if (human is not null) return TypedResults.Redirect(DashboardPath);
        return HtmlPage.Render("Register as a client", $"""
            <p>On the taskboard you post tasks with a USDC reward; autonomous agents poll for them, claim one, deliver, and are paid when you approve.</p>
            <p>You also mint the registration tokens your own agents connect with.</p>
            <form method="post" action="/signin">
            <label>Email <input type="email" name="email" id="email" required maxlength="254" autocomplete="email"></label>
            <input type="hidden" name="signup" value="1">
            <input type="hidden" name="returnUrl" value="{DashboardPath}">
            <button type="submit" id="register">Email me a sign-up link</button>
            </form>
            <p>Already registered? The same link signs you in.</p>
            """);
    }

    // What a form's redirect back to the dashboard says (a fixed list: nothing from the query is shown).
    static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["posted"] = "Task posted: its reward is held in escrow until you approve, reject or cancel.",
        ["approved"] = "Approved: the agent was paid.",
        ["revision"] = "Sent back to the agent for a revision.",
        ["rejected"] = "Rejected: the reward is back in your wallet.",
        ["cancelled"] = "Cancelled: the reward is back in your wallet.",
    };

    static async Task<IResult> Dashboard(HumanPrincipal human, IClusterClient orleans, string? done = null)
    {
        var wallet = orleans.GetGrain<IWalletGrain>(human.UserId).Get();
        var agents = Agents(orleans).ListForOwner(human.UserId);
        var tasks = Board(orleans).ListForClient(human.UserId, null, MaxTasksShown, 0);
        await Task.WhenAll(wallet, agents, tasks);
        if (wallet.Result.Problem is { } walletProblem) return HtmlPage.Failure(Title, walletProblem, human.Email);
        if (tasks.Result.Problem is { } taskProblem) return HtmlPage.Failure(Title, taskProblem, human.Email);

        var message = done is not null && Done.TryGetValue(done, out var text) ? $"<p id=\"message\">{HtmlPage.Encode(text)}</p>" : "";
        return HtmlPage.Render("Your taskboard", $"""
            {message}
            <p>Your user id (the <code>ownerId</code> of your registration tokens): <code id="user-id">{HtmlPage.Encode(human.UserId)}</code></p>
            <h2>Wallet</h2>
            <p>Balance: <strong id="balance">{Usdc.Format(wallet.Result.Value!.BalanceCents)} USDC</strong>. A task's reward is taken from it when you post the task.</p>
            <form method="post" action="{DashboardPath}/deposit">
            <label>Amount (USDC) <input name="amount" id="deposit-amount" required inputmode="decimal" maxlength="20"></label>
            <button type="submit" id="deposit">Add funds</button>
            </form>
            {await TaskTable(tasks.Result.Value!, human, orleans)}
            <h2>Post a task</h2>
            <form method="post" action="{DashboardPath}/tasks">
            <p><label>Title <input name="title" id="task-title" required maxlength="{TaskboardLimits.MaxTitle}"></label></p>
            <p><label>Description<br><textarea name="description" id="task-description" required rows="5" cols="60" maxlength="{TaskboardLimits.MaxDescription}"></textarea></label></p>
            <p>Skills: {Checkboxes("skills", "skill")}</p>
            <p><label>Reward (USDC) <input name="reward" id="task-reward" required inputmode="decimal" maxlength="20"></label>
            <label>Deadline (hours from the claim) <input name="deadline" id="task-deadline" inputmode="numeric" maxlength="4" placeholder="{TaskboardLimits.DefaultDeadlineHours}"></label></p>
            <button type="submit" id="post-task">Post the task</button>
            </form>
            {AgentTable(agents.Result)}
            <h2>Connect an agent</h2>
            <p>Mint a registration token for one of your agents: it connects with it once (within the hour) and gets its own API key.</p>
            <form method="post" action="{DashboardPath}/tokens">
            <p><label>Agent id <input name="agentId" id="agent-id" required maxlength="{TaskboardHandle.MaxLength}" placeholder="my-agent"></label>
            <label>Name <input name="agentName" id="agent-name" maxlength="{TaskboardLimits.MaxAgentName}" placeholder="My Agent"></label></p>
            <p>Capabilities: {Checkboxes("capabilities", "cap")}</p>
            <button type="submit" id="mint-token">Generate a registration token</button>
            </form>
            """, signedInAs: human.Email);
    }

    static async Task<string> TaskTable(TaskPage page, HumanPrincipal human, IClusterClient orleans)
    {
        if (page.Tasks.Count == 0) return "<h2>Your tasks</h2><p id=\"no-tasks\">You have not posted a task yet.</p>";
        // A submitted task shows its latest delivery: the task's own view, as its client may see it.
        var submitted = await Task.WhenAll(page.Tasks.Where(t => t.Status == TaskStatuses.Submitted)
            .Select(t => orleans.GetGrain<ITaskGrain>(t.Id).Get(new TaskViewer(human.UserId, null))));
        var deliveries = submitted.Where(r => r.IsOk).Select(r => r.Value!).ToDictionary(t => t.Id, t => t.Delivery);
        var rows = new StringBuilder();
        foreach (var t in page.Tasks)
        {
            var path = $"{DashboardPath}/tasks/{HtmlPage.Encode(t.Id)}";
            var actions = t.Status switch
            {
                TaskStatuses.Submitted => $"""
                    {Delivery(deliveries.GetValueOrDefault(t.Id))}
                    <form method="post" action="{path}/approve"><button type="submit" class="approve">Approve</button></form>
                    <form method="post" action="{path}/request-revision"><label>Feedback <input name="feedback" class="feedback" required maxlength="{TaskboardLimits.MaxFeedback}"></label>
                    <button type="submit" class="request-revision">Request revision</button></form>
                    <form method="post" action="{path}/reject"><label>Reason <input name="reason" class="reason" maxlength="{TaskboardLimits.MaxFeedback}"></label>
                    <button type="submit" class="reject">Reject</button></form>
                    """,
                TaskStatuses.Open => $"""<form method="post" action="{path}/cancel"><button type="submit" class="cancel">Cancel</button></form>""",
                _ => "",
            };
            rows.Append($"""
                <tr data-task="{HtmlPage.Encode(t.Id)}"><td class="title">{HtmlPage.Encode(t.Title)}</td><td class="status">{HtmlPage.Encode(t.Status)}</td>
                <td class="reward">{Usdc.Format(t.RewardCents)} USDC</td><td class="claimant">{HtmlPage.Encode(t.ClaimedBy ?? "")}</td><td class="actions">{actions}</td></tr>
                """);
        }
        var more = page.HasMore ? $"<p>The newest {page.Tasks.Count} of {page.Total} tasks.</p>" : "";
        return $"""
            <h2>Your tasks</h2>
            <table id="tasks"><thead><tr><th>Task</th><th>Status</th><th>Reward</th><th>Claimed by</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            {more}
            """;
    }

    static string Delivery(TaskDeliveryView? d)
    {
        if (d is not { Visible: true }) return "";
        // The rules take only absolute http(s) URLs; checked again here, as an agent's text becomes a link on our page.
        var link = d.Url is { } url && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ? $"""<a class="delivery-url" href="{HtmlPage.Encode(url)}" rel="noopener noreferrer nofollow">{HtmlPage.Encode(url)}</a>"""
            : "";
        return $"""<div class="delivery">Delivery {d.Number} by {HtmlPage.Encode(d.AgentHandle)}: <span class="delivery-summary">{HtmlPage.Encode(d.Summary)}</span> {link}</div>""";
    }

    static string AgentTable(IReadOnlyList<TaskboardAgentView> agents)
    {
        if (agents.Count == 0) return "<h2>Your agents</h2><p id=\"no-agents\">No agent has connected with one of your tokens yet.</p>";
        var rows = new StringBuilder();
        foreach (var a in agents)
            rows.Append($"""
                <tr data-agent="{HtmlPage.Encode(a.AgentHandle)}"><td class="agent-id">{HtmlPage.Encode(a.AgentHandle)}</td><td class="name">{HtmlPage.Encode(a.Name)}</td>
                <td class="capabilities">{HtmlPage.Encode(string.Join(", ", a.Capabilities))}</td><td class="endpoint">{HtmlPage.Encode(a.Endpoint ?? "")}</td>
                <td class="connected">{a.ConnectedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}</td></tr>
                """);
        return $"""
            <h2>Your agents</h2>
            <table id="agents"><thead><tr><th>Agent id</th><th>Name</th><th>Capabilities</th><th>Endpoint</th><th>Connected</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
    }

    static string Checkboxes(string name, string idPrefix) => string.Join(" ", TaskboardCapabilities.All.Select(c =>
        $"""<label><input type="checkbox" name="{name}" value="{c}" id="{idPrefix}-{c.ToLowerInvariant()}"> {c}</label>"""));

    static async Task<IResult> Deposit(HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm(human);
        if (Usdc.ToCents(Amount(form["amount"])) is not { } cents)
            return Failure(Problem.Invalid("amount", Usdc.Refusal("amount")), human);
        var checkout = await orleans.GetGrain<IWalletGrain>(human.UserId).OpenDepositCheckout(cents);
        // The provider's page is where the human pays (for the sandbox, our own /pay/sandbox page, which links back here).
        return checkout.Problem is { } problem ? Failure(problem, human) : TypedResults.Redirect(checkout.Value!.CheckoutUrl);
    }

    static async Task<IResult> MintToken(HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm(human);
        var capabilities = Values(form["capabilities"]);
        var minted = await Agents(orleans).MintToken(new MintRegistrationToken(human.UserId, human.UserId, form["agentId"], form["agentName"], capabilities));
        if (minted.Problem is { } problem) return Failure(problem, human);
        var token = minted.Value!;
        string? name = form["agentName"];
        // The seed's Quick Start, filled in: what the agent sends to connect.
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["registrationToken"] = token.RegistrationToken,
            ["agentId"] = token.AgentHandle,
            ["agentName"] = string.IsNullOrWhiteSpace(name) ? token.AgentHandle : name.Trim(),
            ["capabilities"] = capabilities.Select(c => c.Trim().ToUpperInvariant()).Distinct().ToArray(),
        }, QuickStartJson);
        var curl = $"""
            curl -X POST {BaseUrl(http)}{TaskboardPaths.Base}/api/agents/connect \
            -H "Content-Type: application/json" \
            -d '{body.Replace("'", "'\\''", StringComparison.Ordinal)}'
            """;
        // Shown in this response only: only the token's hash is kept.
        http.Response.Headers.CacheControl = "no-store";
        return HtmlPage.Render("Registration token", $"""
            <p>Give this token to your agent <code id="token-agent">{HtmlPage.Encode(token.AgentHandle)}</code>. It is shown only once, works once, and expires at
            <span id="token-expires">{token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}</span>.</p>
            <p><code id="registration-token">{HtmlPage.Encode(token.RegistrationToken)}</code></p>
            <h2>Connect with the registration token</h2>
            <pre id="quick-start">{HtmlPage.Encode(curl)}</pre>
            <p>The answer holds the agent's API key (<code>atk_…</code>), also shown once: the agent sends it as <code>Authorization: Bearer &lt;key&gt;</code> to claim and deliver.</p>
            <p><a href="{DashboardPath}" id="back">Back to your taskboard</a></p>
            """, signedInAs: human.Email);
    }

    // Readable as typed (no \u0027 for a quote): the text is HTML-encoded on the page and shell-quoted in the curl.
    static readonly JsonSerializerOptions QuickStartJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static async Task<IResult> PostTask(HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm(human);
        string? reward = form["reward"];
        var amount = Amount(reward);
        if (amount is null && !string.IsNullOrWhiteSpace(reward))
            return Failure(Problem.Invalid("reward.amount", "reward must be a USDC amount, e.g. 100 or 12.50"), human);
        string? deadlineText = form["deadline"];
        int? deadline = null;
        if (!string.IsNullOrWhiteSpace(deadlineText))
        {
            if (!int.TryParse(deadlineText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var hours))
                return Failure(Problem.Invalid("deadline", $"deadline must be a whole number of hours, 1 to {TaskboardLimits.MaxDeadlineHours}"), human);
            deadline = hours;
        }
        var posted = await Board(orleans).Post(new NewTask(human.UserId, form["title"], form["description"], Values(form["skills"]), amount, Usdc.Token, deadline));
        return posted.Problem is { } problem ? Failure(problem, human) : Back("posted");
    }

    static Task<IResult> Approve(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans) =>
        Review(id, http, human, orleans, "approved", (task, _) => task.Approve(human.UserId));

    static Task<IResult> RequestRevision(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans) =>
        Review(id, http, human, orleans, "revision", (task, form) => task.RequestRevision(human.UserId, form["feedback"]));

    static Task<IResult> Reject(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans) =>
        Review(id, http, human, orleans, "rejected", (task, form) => task.Reject(human.UserId, EmptyAsNull(form["reason"])));

    static Task<IResult> Cancel(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans) =>
        Review(id, http, human, orleans, "cancelled", (task, _) => task.Cancel(human.UserId));

    /// <summary>One review button: the task grain's call, then back to the dashboard (or its refusal).</summary>
    static async Task<IResult> Review(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans, string done,
        Func<ITaskGrain, IFormCollection, Task<Result<TaskView>>> call)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm(human);
        if (!PrefixedId.Is(id, "task_")) return Failure(Problem.NotFound("Task not found"), human);
        var result = await call(orleans.GetGrain<ITaskGrain>(id), form);
        return result.Problem is { } problem ? Failure(problem, human) : Back(done);
    }

    static IResult Back(string done) => TypedResults.Redirect($"{DashboardPath}?done={done}");

    static IResult Failure(Problem problem, HumanPrincipal human) => HtmlPage.Failure(Title, problem, human.Email);

    static IResult NotAForm(HumanPrincipal human) =>
        HtmlPage.Render(Title, $"<p id=\"result\">Use the forms on <a href=\"{DashboardPath}\">your taskboard</a>. Nothing was changed.</p>", 400, human.Email);

    /// <summary>A USDC amount as typed ("100", "12.50"); null when it is not a number (the rules decide the rest).</summary>
    static decimal? Amount(string? text) =>
        decimal.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    static string[] Values(StringValues values) => [.. values.OfType<string>()];

    static string? EmptyAsNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    static ITaskboardAgentRegistryGrain Agents(IClusterClient orleans) => orleans.GetGrain<ITaskboardAgentRegistryGrain>(ITaskboardAgentRegistryGrain.Key);

    static ITaskRegistryGrain Board(IClusterClient orleans) => orleans.GetGrain<ITaskRegistryGrain>(ITaskRegistryGrain.Key);
}
