using System.Net;
using Actors.Api.Http;
using Actors.Grains.Platform;

namespace Actors.Api.Humans;

/// <summary>The one layout of the human-facing pages: small, no scripts, no external assets.</summary>
public static class HtmlPage
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A page that only says what happened (<c>#result</c>): a form's answer.</summary>
    public static IResult Result(string title, string message, int status = 200, string? signedInAs = null) =>
        Render(title, $"<p id=\"result\">{Encode(message)}</p>", status, signedInAs);

    /// <summary>A grain's refusal as a page, with the status (and <c>Retry-After</c>) the JSON endpoints give the same problem.</summary>
    public static IResult Failure(string title, Problem problem, string? signedInAs = null) =>
        Result(title, problem.Message, ApiProblem.StatusOf(problem.Kind), signedInAs).WithRetryAfter(problem.RetryAfterSeconds);

    /// <summary>
    /// A button that POSTs hidden fields to <paramref name="action"/>: how a page opened from an
    /// emailed link (which changes nothing) lets the human make the change.
    /// </summary>
    public static string PostButton(string action, string buttonId, string buttonText, params (string Name, string? Value)[] fields)
    {
        var hidden = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{Encode(f.Name)}\" value=\"{Encode(f.Value)}\">\n"));
        return $"""
            <form method="post" action="{Encode(action)}">
            {hidden}<button type="submit" id="{Encode(buttonId)}">{Encode(buttonText)}</button>
            </form>
            """;
    }

    public static IResult Render(string title, string body, int status = 200, string? signedInAs = null)
    {
        var header = signedInAs is null ? "" : $"""
            <nav><a href="/dashboard">Dashboard</a> · <a href="/dashboard/settings">Settings</a> · <a href="/account">Account</a> ·
            <span id="who">{Encode(signedInAs)}</span>
            <form method="post" action="/signout" style="display:inline"><button type="submit" id="signout">Sign out</button></form></nav>
            """;
        return TypedResults.Content($$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>{{Encode(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:3rem auto;padding:0 1rem}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}
            button{font-size:1rem;padding:.4rem .9rem}nav{margin-bottom:1.5rem}</style>
            </head>
            <body>
            {{header}}
            <h1>{{Encode(title)}}</h1>
            {{body}}
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
