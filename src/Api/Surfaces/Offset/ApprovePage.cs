using System.Net;
using Actors.Grains.Offset;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// The page the approval email links to. Opening it changes nothing (mail scanners prefetch
/// links); the link is approved only when the human presses Approve, which POSTs the form.
/// The token in the form is the only credential: a cross-site POST without it does nothing.
/// </summary>
public static class ApprovePage
{
    public static async Task<IResult> Render(string? link, string? token, IClusterClient orleans)
    {
        var prompt = IsLinkId(link) && !string.IsNullOrEmpty(token)
            ? await orleans.GetGrain<IUserLinkGrain>(link!).GetApprovalPrompt(token)
            : null;
        if (prompt is null)
            return Page("Link not valid", "<p id=\"result\">This approval link is not valid. Ask the agent to send a new one.</p>", 404);

        var agent = Html(prompt.AgentName);
        var details = new System.Text.StringBuilder();
        if (!string.IsNullOrWhiteSpace(prompt.AgentDescription)) details.Append($"<p class=\"desc\">{Html(prompt.AgentDescription)}</p>");
        if (!string.IsNullOrWhiteSpace(prompt.AgentWebsiteUrl)) details.Append($"<p>Website: {Html(prompt.AgentWebsiteUrl)}</p>");
        var body = prompt.Status switch
        {
            LinkStatus.Approved => $"<p id=\"result\">You already approved <strong>{agent}</strong>.</p>",
            LinkStatus.Expired => "<p id=\"result\">This approval link expired. Ask the agent to sign you up again.</p>",
            LinkStatus.Revoked => $"<p id=\"result\">You revoked <strong>{agent}</strong>. Ask the agent to sign you up again.</p>",
            _ => $"""
                <p><strong>{agent}</strong> asks to link to your Token Offset account <strong>{Html(prompt.UserEmail)}</strong>.</p>
                {details}
                <p>Once approved it can report the tokens it processes for you, choose an offset plan and connect provider keys.
                You can revoke it at any time from <a href="/dashboard/settings">your dashboard</a>.</p>
                {(prompt.ExclusiveAgent ? "<p>This agent asks to manage your account exclusively. You can still sign in with a magic link.</p>" : "")}
                <form method="post" action="/offset/approve">
                <input type="hidden" name="link" value="{Html(prompt.LinkId)}">
                <input type="hidden" name="token" value="{Html(token!)}">
                <button type="submit" id="approve">Approve {agent}</button>
                </form>
                """,
        };
        return Page($"Approve {prompt.AgentName}", body, 200);
    }

    public static async Task<IResult> Submit(HttpContext http, IClusterClient orleans)
    {
        if (!http.Request.HasFormContentType) return Page("Not approved", "<p id=\"result\">Submit the approval form.</p>", 400);
        var form = await http.Request.ReadFormAsync();
        string? link = form["link"], token = form["token"];
        if (!IsLinkId(link) || string.IsNullOrEmpty(token))
            return Page("Not approved", "<p id=\"result\">This approval link is not valid.</p>", 404);
        var result = await orleans.GetGrain<IUserLinkGrain>(link!).Approve(token!);
        if (result.Problem is { } problem)
            return Page("Not approved", $"<p id=\"result\">{Html(problem.Message)}</p>", Http.ApiProblem.StatusOf(problem.Kind));
        return Page("Approved", "<p id=\"result\">Approved. The agent can now report usage for you. " +
            "Manage your agents on <a href=\"/dashboard\">your dashboard</a>.</p>", 200);
    }

    static bool IsLinkId(string? link) => link is { Length: > 4 and <= 64 } && link.StartsWith("lnk_", StringComparison.Ordinal);

    static string Html(string text) => WebUtility.HtmlEncode(text);

    static IResult Page(string title, string body, int status) => TypedResults.Content($$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>{{Html(title)}} · Token Offset</title>
        <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>
        </head>
        <body>
        <h1>{{Html(title)}}</h1>
        {{body}}
        </body>
        </html>
        """, "text/html; charset=utf-8", statusCode: status);
}
