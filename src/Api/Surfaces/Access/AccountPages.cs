using System.Globalization;
using System.Text;
using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Access;
using Actors.Grains.Platform;
using Actors.Grains.Humans;

namespace Actors.Api.Surfaces.Access;

/// <summary>
/// The seed's "Account page" (<c>/account</c>): a signed-in human creates organisations, buys a
/// plan through the payment provider, and generates and revokes <c>agnt_</c> keys. GET pages
/// change nothing; every change is a form POST, refused from another origin. The org grain
/// answers "not found" to anyone but the org's owner, so a guessed org id shows nothing.
/// </summary>
public static class AccountPages
{
    const string Title = "Account";
    const int MaxOrgsShown = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").RequireAuthorization(HumanSessions.Policy).RequireSameOrigin().ExcludeFromDescription();
        account.MapGet("/", Overview);
        account.MapPost("/orgs", CreateOrg).DisableAntiforgery();
        account.MapGet("/orgs/{id}", Org);
        account.MapPost("/orgs/{id}/checkout", Checkout).DisableAntiforgery();
        account.MapPost("/orgs/{id}/keys", IssueKey).DisableAntiforgery();
        account.MapPost("/orgs/{id}/keys/revoke", RevokeKey).DisableAntiforgery();
    }

    static async Task<IResult> Overview(HumanPrincipal human, IClusterClient orleans)
    {
        var ids = await orleans.GetGrain<IHumanGrain>(human.HumanKey).GetOrgIds();
        var orgs = await Task.WhenAll(ids.TakeLast(MaxOrgsShown).Reverse()
            .Select(id => orleans.GetGrain<IOrgGrain>(id).GetForOwner(human.HumanKey)));
        var rows = new StringBuilder();
        foreach (var org in orgs.Where(o => o.IsOk).Select(o => o.Value!))
            rows.Append($"""
                <tr data-org="{HtmlPage.Encode(org.Org.Id)}"><td class="name"><a href="/account/orgs/{HtmlPage.Encode(org.Org.Id)}">{HtmlPage.Encode(org.Org.Name)}</a></td>
                <td class="plan">{HtmlPage.Encode(org.Org.Plan)}</td><td class="remaining">{Number(org.Subscription.RemainingCredits)}</td>
                <td class="keys">{org.Keys.Count(k => k.RevokedAt is null)}</td></tr>
                """);
        var list = rows.Length == 0
            ? "<p id=\"no-orgs\">You have no organisations yet.</p>"
            : $"<table id=\"orgs\"><thead><tr><th>Organisation</th><th>Plan</th><th>Credits left</th><th>Active keys</th></tr></thead><tbody>{rows}</tbody></table>";
        return HtmlPage.Render(Title, $"""
            <h2>Organisations</h2>
            <p>An organisation holds a plan (monthly credits for pay-per-access content) and the <code>agnt_</code> API keys its agents use.</p>
            {list}
            <h2>New organisation</h2>
            <form method="post" action="/account/orgs">
            <label>Name <input name="name" id="org-name" required maxlength="{AccessPlans.MaxOrgName}"></label>
            <button type="submit" id="create-org">Create</button>
            </form>
            """, signedInAs: human.Email);
    }

    static async Task<IResult> CreateOrg(HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return Refused(human);
        var created = await orleans.GetGrain<IAccessRegistryGrain>(IAccessRegistryGrain.Key).CreateOwnedOrg(form["name"], human.HumanKey);
        return created.Problem is { } problem
            ? Failure(problem, human)
            : TypedResults.Redirect($"/account/orgs/{created.Value!.Id}");
    }

    static async Task<IResult> Org(string id, HumanPrincipal human, IClusterClient orleans, HttpContext http)
    {
        if (!IsOrgId(id)) return NotFound(human);
        var result = await orleans.GetGrain<IOrgGrain>(id).GetForOwner(human.HumanKey);
        return result.Problem is { } problem ? Failure(problem, human) : RenderOrg(result.Value!, human, http, newKey: null);
    }

    static async Task<IResult> Checkout(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return Refused(human);
        if (!IsOrgId(id)) return NotFound(human);
        var checkout = await orleans.GetGrain<IOrgGrain>(id).StartCheckout(human.HumanKey, form["plan"]);
        // The provider's page is where the human pays (for the sandbox, our own /pay/sandbox page).
        return checkout.Problem is { } problem ? Failure(problem, human) : TypedResults.Redirect(checkout.Value!.PayUrl);
    }

    static async Task<IResult> IssueKey(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is null) return Refused(human);
        if (!IsOrgId(id)) return NotFound(human);
        var org = orleans.GetGrain<IOrgGrain>(id);
        var issued = await org.IssueKeyForOwner(human.HumanKey);
        if (issued.Problem is { } problem) return Failure(problem, human);
        var account = await org.GetForOwner(human.HumanKey);
        if (account.Problem is { } again) return Failure(again, human);
        // Shown in this response only: it is not stored anywhere we could show it from again.
        return RenderOrg(account.Value!, human, http, newKey: issued.Value!.ApiKey);
    }

    static async Task<IResult> RevokeKey(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return Refused(human);
        if (!IsOrgId(id)) return NotFound(human);
        string? keyId = form["keyId"];
        if (keyId is not { Length: > 4 and <= 64 }) return Failure(Problem.NotFound("Key not found"), human);
        var revoked = await orleans.GetGrain<IOrgGrain>(id).RevokeKey(human.HumanKey, keyId);
        return revoked.Problem is { } problem ? Failure(problem, human) : TypedResults.Redirect($"/account/orgs/{id}");
    }

    static IResult RenderOrg(OrgAccount account, HumanPrincipal human, HttpContext http, string? newKey)
    {
        var org = account.Org;
        var s = account.Subscription;
        var path = $"/account/orgs/{HtmlPage.Encode(org.Id)}";
        var shown = newKey is null ? "" : $"""
            <div id="new-key-box"><h2>Your new API key</h2>
            <p>Copy it now: it is shown this once and cannot be shown again. Agents send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>
            <p><code id="new-key">{HtmlPage.Encode(newKey)}</code></p></div>
            """;
        var plans = new StringBuilder();
        foreach (var plan in AccessPlans.All)
            plans.Append($"""
                <tr data-plan="{HtmlPage.Encode(plan.Name)}"><td>{HtmlPage.Encode(plan.Name)}</td><td>{Number(plan.MonthlyCredits)} credits a month</td>
                <td>{Money(plan.PriceCents)} a month</td><td>{(plan.Name == org.Plan ? "current plan" : $"""
                <form method="post" action="{path}/checkout"><input type="hidden" name="plan" value="{HtmlPage.Encode(plan.Name)}">
                <button type="submit" class="choose">Choose {HtmlPage.Encode(plan.Name)}</button></form>
                """)}</td></tr>
                """);
        var keys = new StringBuilder();
        foreach (var key in account.Keys.AsEnumerable().Reverse())
            keys.Append($"""
                <tr data-key="{HtmlPage.Encode(key.Id)}"><td class="hint"><code>{HtmlPage.Encode(key.Hint)}</code></td>
                <td class="created">{key.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}</td>
                <td class="state">{(key.RevokedAt is null ? "active" : "revoked")}</td><td>{(key.RevokedAt is not null ? "" : $"""
                <form method="post" action="{path}/keys/revoke"><input type="hidden" name="keyId" value="{HtmlPage.Encode(key.Id)}">
                <button type="submit" class="revoke">Revoke</button></form>
                """)}</td></tr>
                """);
        if (newKey is not null) http.Response.Headers.CacheControl = "no-store";
        return HtmlPage.Render(org.Name, $"""
            <p><a href="/account">All organisations</a></p>
            {shown}
            <h2>Subscription</h2>
            <table id="subscription">
            <tr><th>Plan</th><td id="plan">{HtmlPage.Encode(s.Plan)}</td></tr>
            <tr><th>Status</th><td id="status">{HtmlPage.Encode(s.Status)}</td></tr>
            <tr><th>Credits left this period</th><td id="remaining">{Number(s.RemainingCredits)}</td></tr>
            <tr><th>Monthly limit</th><td id="limit">{Number(s.MonthlyLimit)}</td></tr>
            <tr><th>Period</th><td>{s.PeriodStart.UtcDateTime:yyyy-MM-dd} to {s.PeriodEnd.UtcDateTime:yyyy-MM-dd}</td></tr>
            </table>
            <h2>Plans</h2>
            <p>Payments go through the sandbox payment provider: no real money moves. An upgrade adds its extra credits at once;
            a downgrade applies from the next period. Unused credits do not roll over.</p>
            <table id="plans"><tbody>{plans}</tbody></table>
            <h2>API keys</h2>
            <form method="post" action="{path}/keys"><button type="submit" id="generate-key">Generate a new key</button></form>
            {(keys.Length == 0 ? "<p id=\"no-keys\">No keys yet.</p>" : $"<table id=\"keys\"><thead><tr><th>Key</th><th>Created</th><th>State</th><th></th></tr></thead><tbody>{keys}</tbody></table>")}
            <p>A revoked key stops working within seconds and cannot be restored.</p>
            """, signedInAs: human.Email);
    }

    internal static IResult Refused(HumanPrincipal human) =>
        HtmlPage.Render(Title, "<p id=\"result\">Use the forms on your <a href=\"/account\">Account page</a>.</p>", 403, human.Email);

    static IResult NotFound(HumanPrincipal human) => Failure(Problem.NotFound("Organisation not found"), human);

    internal static IResult Failure(Problem problem, HumanPrincipal human) =>
        HtmlPage.Render(Title, $"<p id=\"result\">{HtmlPage.Encode(problem.Message)}</p><p><a href=\"/account\">Back to your account</a></p>",
            ApiProblem.StatusOf(problem.Kind), human.Email);

    static bool IsOrgId(string id) => id is { Length: > 4 and <= 64 } && id.StartsWith("org_", StringComparison.Ordinal);

    static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Money(long cents) => "$" + (cents / 100m).ToString("N2", CultureInfo.InvariantCulture);
}
