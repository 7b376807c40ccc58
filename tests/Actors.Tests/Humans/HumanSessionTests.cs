using System.Net;
using Actors.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Actors.Tests.Humans;

[Collection(StackCollection.Name)]
public sealed class HumanSessionTests(ActorsStack stack)
{
    static HttpClient NoRedirects(ActorsStack stack) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = stack.ApiUrl };

    [Fact]
    public async Task The_dashboard_needs_a_session_and_a_bad_cookie_is_not_one()
    {
        using var http = NoRedirects(stack);
        var anonymous = await http.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.ToString());

        var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        forged.Headers.Add("Cookie", "actors_session=hs_forged");
        Assert.Equal(HttpStatusCode.Redirect, (await http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_answers_the_same_for_unknown_addresses_and_sends_them_nothing()
    {
        using var http = NoRedirects(stack);
        var email = Unique.Email("nobody");
        var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("If an account exists", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await stack.CountWhenDelivered(email));
    }

    [Fact]
    public async Task Revoking_from_another_origin_is_refused()
    {
        var (agent, linkId, email) = await stack.ApprovedLink();
        using var http = NoRedirects(stack);
        await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email }));
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]!;
        var confirmed = await http.PostAsync("/signin/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var cookie = confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var revoke = new HttpRequestMessage(HttpMethod.Post, "/dashboard/settings/agents/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["linkId"] = linkId }),
        };
        revoke.Headers.Add("Cookie", cookie.Split(';')[0]);
        revoke.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(revoke)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.ReportUsage(linkId)).StatusCode);

        // Another human's session cannot revoke this link either.
        var (_, otherLink, _) = await stack.ApprovedLink();
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/dashboard/settings/agents/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["linkId"] = otherLink }),
        };
        foreign.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(foreign)).StatusCode);
    }
}
