using Microsoft.Playwright;

namespace Actors.Tests.Infrastructure;

/// <summary>A human in a browser: signs in by magic link the way a person would.</summary>
public static class HumanBrowser
{
    /// <summary>
    /// Opens <paramref name="path"/> signed out, asks for a sign-in link, opens it from the mail
    /// drop and presses its button; returns on the page the link brought the human back to.
    /// The address must already have an account (sign-in emails only existing accounts).
    /// </summary>
    public static async Task SignIn(this IPage page, ActorsStack stack, string email, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#email", email);
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync("#result");
        var link = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        await page.GotoAsync(link);
        await page.ClickAsync("#confirm");
        await page.WaitForPath(p => p == path.Split('?')[0]);
    }

    /// <summary>
    /// Waits until the page is at a path <paramref name="matches"/> accepts and its document is parsed,
    /// by polling the page rather than awaiting its lifecycle events: on a busy machine Chromium has
    /// been seen to report network idle and never "load" or "DOMContentLoaded" to Playwright within 30 s.
    /// </summary>
    public static async Task WaitForPath(this IPage page, Func<string, bool> matches)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (matches(new Uri(page.Url).AbsolutePath))
            {
                try
                {
                    if (await page.EvaluateAsync<bool>("() => document.readyState !== 'loading'")) return;
                }
                catch (PlaywrightException)
                {
                    // The document went away mid-evaluation (still navigating): ask again.
                }
            }
            if (DateTime.UtcNow > until) throw new TimeoutException($"the page stayed at {page.Url}");
            await Task.Delay(50);
        }
    }

    /// <summary>Presses a form's submit button and returns the answer to the POST it navigates with.</summary>
    public static async Task<IResponse> Submit(this IPage page, string button)
    {
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync(button),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return response;
    }
}

/// <summary>A human's signed-in session over plain HTTP (no redirects followed, the session cookie sent by hand).</summary>
public static class HumanHttp
{
    /// <summary>A browser-like client without a session: no redirects followed, no cookies kept.</summary>
    public static HttpClient SignedOut(this ActorsStack stack) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = stack.ApiUrl };

    /// <summary>Signs up (or in) <paramref name="email"/> through the magic link and returns a client carrying the session.</summary>
    public static async Task<HttpClient> SignUp(this ActorsStack stack, string email)
    {
        var http = stack.SignedOut();
        var asked = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["signup"] = "1" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, asked.StatusCode);
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]!;
        var confirmed = await http.PostAsync("/signin/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, confirmed.StatusCode);
        var cookie = confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal));
        http.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return http;
    }

    /// <summary>Posts a form as a browser would, saying where it comes from by <c>Origin</c> and/or <c>Referer</c> when given.</summary>
    public static Task<HttpResponseMessage> PostForm(this HttpClient http, string path, Dictionary<string, string>? form = null,
        string? origin = null, string? referer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form ?? []) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (referer is not null) request.Headers.TryAddWithoutValidation("Referer", referer);
        return http.SendAsync(request);
    }
}
