using System.Globalization;
using System.Text;
using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Humans;
using Actors.Grains.Offset;

namespace Actors.Api.Surfaces.Offset;

/// <summary>The human's linked agents on <c>/dashboard</c>, and revoking them on <c>/dashboard/settings</c>.</summary>
public sealed class OffsetDashboardSection : IDashboardSection
{
    /// <summary>The most links one page shows (the newest); an account holds at most 500.</summary>
    const int MaxShown = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.ServiceProvider.GetRequiredService<DashboardSections>().Add(new OffsetDashboardSection());
        app.MapPost("/dashboard/settings/agents/revoke", Revoke)
            .RequireAuthorization(HumanSessions.Policy).RequireSameOrigin().DisableAntiforgery().ExcludeFromDescription();
    }

    public async Task<string> RenderOverview(HumanPrincipal human, HumanOverview overview, IClusterClient orleans)
    {
        var links = await Links(human, overview, orleans);
        if (links.Count == 0) return "<h2>Linked agents</h2><p id=\"no-agents\">No agents are linked to your account.</p>";
        var rows = new StringBuilder();
        foreach (var l in links)
            rows.Append($"""
                <tr data-link="{HtmlPage.Encode(l.Link.LinkId)}"><td class="agent">{HtmlPage.Encode(l.AgentName)}</td>
                <td class="status">{l.Link.Status}</td><td class="tokens">{l.Usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture)}</td>
                <td class="events">{l.Usage.Events}</td><td class="plan">{HtmlPage.Encode(PlanText(l.Plan))}</td></tr>
                """);
        return $"""
            <h2>Linked agents</h2>
            <table id="agents"><thead><tr><th>Agent</th><th>Status</th><th>Tokens</th><th>Reports</th><th>Offset plan</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
    }

    public async Task<string> RenderSettings(HumanPrincipal human, HumanOverview overview, IClusterClient orleans)
    {
        var links = await Links(human, overview, orleans);
        var rows = new StringBuilder();
        foreach (var l in links)
        {
            var action = l.Link.Status == LinkStatus.Revoked
                ? "revoked"
                : $"""
                  <form method="post" action="/dashboard/settings/agents/revoke"><input type="hidden" name="linkId" value="{HtmlPage.Encode(l.Link.LinkId)}">
                  <button type="submit" class="revoke">Revoke</button></form>
                  """;
            rows.Append($"<tr data-link=\"{HtmlPage.Encode(l.Link.LinkId)}\"><td class=\"agent\">{HtmlPage.Encode(l.AgentName)}</td><td class=\"status\">{l.Link.Status}</td><td>{action}</td></tr>");
        }
        return $"""
            <h2>Agents</h2>
            <p>Revoking an agent stops it from acting on your account at once; it can ask again with a new approval email.</p>
            <table id="agent-settings"><tbody>{rows}</tbody></table>
            """;
    }

    static async Task<IResult> Revoke(HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form)
            return HtmlPage.Result("Settings", "Revoke from the settings page.", StatusCodes.Status403Forbidden, human.Email);
        string? linkId = form["linkId"];
        if (linkId is not { Length: > 4 and <= 64 } || !linkId.StartsWith("lnk_", StringComparison.Ordinal))
            return HtmlPage.Result("Settings", "Unknown agent link.", StatusCodes.Status404NotFound, human.Email);
        var result = await orleans.GetGrain<IUserLinkGrain>(linkId).Revoke(human.HumanKey);
        if (result.Problem is { } problem) return HtmlPage.Failure("Settings", problem, human.Email);
        return TypedResults.Redirect("/dashboard/settings");
    }

    static async Task<List<HumanLinkView>> Links(HumanPrincipal human, HumanOverview overview, IClusterClient orleans)
    {
        var views = await Task.WhenAll(overview.LinkIds.TakeLast(MaxShown).Reverse()
            .Select(id => orleans.GetGrain<IUserLinkGrain>(id).GetForHuman(human.HumanKey)));
        return views.OfType<HumanLinkView>().ToList();
    }

    static string PlanText(LinkPlan? plan) => plan is null
        ? "none"
        : $"{plan.Band ?? "custom"} · ${(plan.MonthlyAmountCents / 100m).ToString("0.00", CultureInfo.InvariantCulture)}/month";
}
