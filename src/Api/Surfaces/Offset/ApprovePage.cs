using Actors.Api.Humans;
using Actors.Grains.Offset;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// The page the approval email links to. Opening it changes nothing (mail scanners prefetch
/// links); the link is approved only when the human presses Approve, which POSTs the form.
/// The token in the form is the only credential; a POST from another site is refused.
/// </summary>
public static class ApprovePage
{
    public static void Map(IEndpointRouteBuilder offset)
    {
        offset.MapGet("/approve", Render).ExcludeFromDescription();
        offset.MapPost("/approve", Submit).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();
    }

    static async Task<IResult> Render(string? link, string? token, IClusterClient orleans)
    {
        var prompt = IsLinkId(link) && !string.IsNullOrEmpty(token)
            ? await orleans.GetGrain<IUserLinkGrain>(link!).GetApprovalPrompt(token)
            : null;
        if (prompt is null)
            return HtmlPage.Result("Link not valid", "This approval link is not valid. Ask the agent to send a new one.", StatusCodes.Status404NotFound);

        var agent = HtmlPage.Encode(prompt.AgentName);
        var details = new System.Text.StringBuilder();
        if (!string.IsNullOrWhiteSpace(prompt.AgentDescription)) details.Append($"<p class=\"desc\">{HtmlPage.Encode(prompt.AgentDescription)}</p>");
        if (!string.IsNullOrWhiteSpace(prompt.AgentWebsiteUrl)) details.Append($"<p>Website: {HtmlPage.Encode(prompt.AgentWebsiteUrl)}</p>");
        var body = prompt.Status switch
        {
            LinkStatus.Approved => $"<p id=\"result\">You already approved <strong>{agent}</strong>.</p>",
            LinkStatus.Expired => "<p id=\"result\">This approval link expired. Ask the agent to sign you up again.</p>",
            LinkStatus.Revoked => $"<p id=\"result\">You revoked <strong>{agent}</strong>. Ask the agent to sign you up again.</p>",
            _ => $"""
                <p><strong>{agent}</strong> asks to link to your Token Offset account <strong>{HtmlPage.Encode(prompt.UserEmail)}</strong>.</p>
                {details}
                <p>Once approved it can report the tokens it processes for you, choose an offset plan and connect provider keys.
                You can revoke it at any time from <a href="/dashboard/settings">your dashboard</a>.</p>
                {(prompt.ExclusiveAgent ? "<p>This agent asks to manage your account exclusively. You can still sign in with a magic link.</p>" : "")}
                {HtmlPage.PostButton("/offset/approve", "approve", $"Approve {prompt.AgentName}", ("link", prompt.LinkId), ("token", token))}
                """,
        };
        return HtmlPage.Render($"Approve {prompt.AgentName}", body);
    }

    static async Task<IResult> Submit(HttpContext http, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return HtmlPage.Result("Not approved", "Submit the approval form.", StatusCodes.Status400BadRequest);
        string? link = form["link"], token = form["token"];
        if (!IsLinkId(link) || string.IsNullOrEmpty(token))
            return HtmlPage.Result("Not approved", "This approval link is not valid.", StatusCodes.Status404NotFound);
        var result = await orleans.GetGrain<IUserLinkGrain>(link!).Approve(token!);
        if (result.Problem is { } problem) return HtmlPage.Failure("Not approved", problem);
        return HtmlPage.Render("Approved", "<p id=\"result\">Approved. The agent can now report usage for you. " +
            "Manage your agents on <a href=\"/dashboard\">your dashboard</a>.</p>");
    }

    static bool IsLinkId(string? link) => link is { Length: > 4 and <= 64 } && link.StartsWith("lnk_", StringComparison.Ordinal);
}
