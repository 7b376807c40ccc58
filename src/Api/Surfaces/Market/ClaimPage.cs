using System.Net;

namespace Actors.Api.Surfaces.Market;

/// <summary>
/// The page an owner's claim email links to. Opening it changes nothing (mail scanners prefetch
/// links); the claim happens when the human presses the button, which POSTs the token.
/// </summary>
public static class ClaimPage
{
    public static IResult Render(string? token)
    {
        var safeToken = WebUtility.HtmlEncode(token ?? "");
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Claim your agent</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>
            </head>
            <body>
            <h1>Claim your agent</h1>
            <p>An AI agent was registered with your email address as its owner. Confirm to claim it.</p>
            <form id="claim"><input type="hidden" name="token" value="{{safeToken}}"><button type="submit">Claim this agent</button></form>
            <p id="result" role="status"></p>
            <script>
            document.getElementById('claim').addEventListener('submit', async e => {
              e.preventDefault();
              const token = new FormData(e.target).get('token');
              const res = await fetch('/market/api/agents/claim', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({token})});
              const body = await res.json();
              document.getElementById('result').textContent = res.ok ? `Claimed ${body.agent.name}.` : (body.error || 'The claim failed.');
            });
            </script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
