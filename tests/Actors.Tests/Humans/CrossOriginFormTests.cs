using System.Net;
using Actors.Tests.Access;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Humans;

/// <summary>
/// Every state-changing human form refuses a POST that a browser says comes from another origin
/// (403, nothing changes), and works from our own origin or when no origin is named.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CrossOriginFormTests(ActorsStack stack)
{
    const string Evil = "https://evil.example";

    string Own => stack.ApiUrl.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Sign_in_sign_in_confirmation_and_sign_out_refuse_another_origin()
    {
        using var http = stack.SignedOut();
        var email = Unique.Email("csrf");
        var ask = new Dictionary<string, string> { ["email"] = email, ["signup"] = "1" };
        await AssertRefusedFromElsewhere(http, "/signin", ask);
        Assert.Equal(0, await stack.CountWhenDelivered(email));
        Assert.Equal(HttpStatusCode.OK, (await http.PostForm("/signin", ask, Own)).StatusCode);

        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        var confirm = new Dictionary<string, string> { ["token"] = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]! };
        await AssertRefusedFromElsewhere(http, "/signin/confirm", confirm);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        var confirmed = await http.PostForm("/signin/confirm", confirm, referer: url);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);

        var cookie = confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal));
        http.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        await AssertRefusedFromElsewhere(http, "/signout");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostForm("/signout", origin: Own)).StatusCode);
        await Task.Delay(2500); // the API caches a resolved session for two seconds
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task Approving_a_link_refuses_another_origin()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("csrf");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");
        var form = new Dictionary<string, string> { ["link"] = linkId, ["token"] = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]! };
        using var http = stack.SignedOut();

        await AssertRefusedFromElsewhere(http, "/offset/approve", form);
        Assert.Equal("pending", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.PostForm("/offset/approve", form, Own)).StatusCode);
        Assert.Equal("approved", (await (await agent.LinkStatus(linkId)).ReadJson()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revoking_an_agent_on_the_settings_page_refuses_another_origin()
    {
        var (agent, linkId, email) = await stack.ApprovedLink();
        using var human = await stack.SignUp(email);
        var form = new Dictionary<string, string> { ["linkId"] = linkId };

        await AssertRefusedFromElsewhere(human, "/dashboard/settings/agents/revoke", form);
        Assert.Equal(HttpStatusCode.OK, (await agent.ReportUsage(linkId)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await human.PostForm("/dashboard/settings/agents/revoke", form, Own)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.ReportUsage(linkId)).StatusCode);
    }

    [Fact]
    public async Task The_account_forms_and_the_sandbox_payment_refuse_another_origin()
    {
        using var owner = await stack.SignUp(Unique.Email("csrf"));
        var name = Unique.Name("Org");
        await AssertRefusedFromElsewhere(owner, "/account/orgs", new() { ["name"] = name });
        Assert.DoesNotContain(name, await (await owner.GetAsync("/account")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostForm("/account/orgs", new() { ["name"] = name }, Own)).StatusCode);
        Assert.Contains(name, await (await owner.GetAsync("/account")).Content.ReadAsStringAsync());

        var orgId = await owner.CreateOrg(Unique.Name("Pay"));
        var checkout = await owner.StartCheckout(orgId, "Starter");
        await AssertRefusedFromElsewhere(owner, checkout);
        Assert.Contains("<td id=\"plan\">None</td>", await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostForm(checkout, origin: Own)).StatusCode);
        Assert.Contains("<td id=\"plan\">Starter</td>", await (await owner.GetAsync($"/account/orgs/{orgId}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_market_claim_form_refuses_another_origin()
    {
        var owner = Unique.Email("csrf");
        var registered = await stack.RegisterAgent(ownerEmail: owner);
        using var agent = stack.AsAgent(registered.ApiKey);
        var form = new Dictionary<string, string> { ["token"] = await MailDrop.WaitForToken(stack.MailDrop, owner, "Your claim token: ") };
        using var http = stack.SignedOut();

        await AssertRefusedFromElsewhere(http, "/market/claim", form);
        Assert.False(await Claimed(agent));
        Assert.Equal(HttpStatusCode.OK, (await http.PostForm("/market/claim", form, Own)).StatusCode);
        Assert.True(await Claimed(agent));
    }

    [Fact]
    public async Task The_memory_claim_form_refuses_another_origin()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var email = Unique.Email("csrf");
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var (machineId, token) = await stack.ClaimLink(email);
        var form = new Dictionary<string, string> { ["machine"] = machineId, ["token"] = token };
        using var http = stack.SignedOut();

        await AssertRefusedFromElsewhere(http, "/memory/claim", form);
        await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Conflict);
        // No Origin and no Referer (a client that is not a browser): allowed.
        Assert.Equal(HttpStatusCode.OK, (await http.PostForm("/memory/claim", form)).StatusCode);
        await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
    }

    /// <summary>Another site, our host on another port or scheme, an opaque origin, or a foreign Referer alone: all 403.</summary>
    async Task AssertRefusedFromElsewhere(HttpClient http, string path, Dictionary<string, string>? form = null)
    {
        var elsewhere = new (string? Origin, string? Referer)[]
        {
            (Evil, null), (Evil, Own + "/"), (null, Evil + "/page"), ("null", null),
            ($"http://{stack.ApiUrl.Host}:1", null), ($"https://{stack.ApiUrl.Authority}", null),
        };
        foreach (var (origin, referer) in elsewhere)
        {
            var response = await http.PostForm(path, form, origin, referer);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} from {origin ?? referer}: {(int)response.StatusCode}");
        }
    }

    static async Task<bool> Claimed(HttpClient agent) =>
        (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("claimed").GetBoolean();
}
