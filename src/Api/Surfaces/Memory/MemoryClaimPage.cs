using System.Net;

namespace Actors.Api.Surfaces.Memory;

/// <summary>
/// The page a claim email links to. Opening it changes nothing (mail scanners prefetch links);
/// the confirmation happens when the human presses the button, which POSTs the link's token.
/// </summary>
public static class MemoryClaimPage
{
    public static IResult Render(string? machine, string? token)
    {
        var safeMachine = WebUtility.HtmlEncode(machine ?? "");
        var safeToken = WebUtility.HtmlEncode(token ?? "");
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Confirm the claim of a machine</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>
            </head>
            <body>
            <h1>Confirm the claim of a machine</h1>
            <p>An AI agent asked to link its machine account, and the memories stored on it, to your email address.
            Confirm only if you started this from your own machine. Your agent then completes the claim with its verification code.</p>
            <form id="confirm">
            <input type="hidden" name="machine_id" value="{{safeMachine}}">
            <input type="hidden" name="token" value="{{safeToken}}">
            <button type="submit">Confirm this claim</button>
            </form>
            <p id="result" role="status"></p>
            <script>
            document.getElementById('confirm').addEventListener('submit', async e => {
              e.preventDefault();
              const form = new FormData(e.target);
              const res = await fetch('/memory/api/v1/agents/claim/confirm', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({machine_id: form.get('machine_id'), token: form.get('token')})});
              const body = await res.json();
              document.getElementById('result').textContent = res.ok ? body.data.message : (body.error || 'The confirmation failed.');
            });
            </script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
