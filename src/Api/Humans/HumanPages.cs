using Actors.Api.Http;
using Actors.Grains.Humans;

namespace Actors.Api.Humans;

/// <summary>
/// Sign-in by magic link and the human's dashboard, shared by every surface. An emailed link
/// opens a page that changes nothing; pressing its button POSTs and starts the session.
/// </summary>
public static class HumanPages
{
    public static IEndpointRouteBuilder MapHumanPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", SignInForm).ExcludeFromDescription();
        app.MapPost("/signin", RequestLink).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();
        app.MapGet("/signin/confirm", ConfirmPage).ExcludeFromDescription();
        app.MapPost("/signin/confirm", Confirm).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();
        app.MapPost("/signout", SignOut).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();

        var dashboard = app.MapGroup("/dashboard").RequireAuthorization(HumanSessions.Policy).ExcludeFromDescription();
        dashboard.MapGet("/", Dashboard);
        dashboard.MapGet("/settings", Settings);
        return app;
    }

    static IResult SignInForm(string? returnUrl) => HtmlPage.Render("Sign in", $"""
        <p>We email you a link that signs you in. No password.</p>
        <form method="post" action="/signin">
        <label>Email <input type="email" name="email" id="email" required maxlength="254" autocomplete="email"></label>
        <input type="hidden" name="returnUrl" value="{HtmlPage.Encode(ReturnPath.Safe(returnUrl))}">
        <label><input type="checkbox" name="signup" value="1" id="signup"> I am new: create my account</label>
        <button type="submit" id="send">Email me a sign-in link</button>
        </form>
        """);

    static async Task<IResult> RequestLink(HttpContext http, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm();
        var signIn = orleans.GetGrain<ISignInGrain>(ISignInGrain.Key);
        var result = form["signup"] == "1"
            ? await signIn.BeginSignUp(form["email"], form["returnUrl"])
            : await signIn.Begin(form["email"], form["returnUrl"]);
        if (result.Problem is { } problem) return HtmlPage.Failure("Sign in", problem);
        return HtmlPage.Render("Check your email",
            form["signup"] == "1"
                ? "<p id=\"result\">We sent a link to that address. It creates your account (or signs you in) and works once, for 15 minutes.</p>"
                : "<p id=\"result\">If an account exists for that address, we sent it a sign-in link. It works once, for 15 minutes.</p>");
    }

    static async Task<IResult> ConfirmPage(string? token, IClusterClient orleans)
    {
        var usable = !string.IsNullOrEmpty(token) && token.Length <= 200
            && await orleans.GetGrain<ISignInTokenGrain>("sit_" + Grains.Identity.SecretHash.Of(token)).IsUsable();
        if (!usable)
            return HtmlPage.Render("Sign in", "<p id=\"result\">This sign-in link is not valid any more. <a href=\"/signin\">Ask for a new one</a>.</p>", 404);
        return HtmlPage.Render("Sign in", HtmlPage.PostButton("/signin/confirm", "confirm", "Sign in", ("token", token)));
    }

    static async Task<IResult> Confirm(HttpContext http, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return NotAForm();
        var result = await orleans.GetGrain<ISignInGrain>(ISignInGrain.Key).Complete(form["token"]);
        if (result.Problem is { } problem)
            return HtmlPage.Render("Sign in", $"<p id=\"result\">{HtmlPage.Encode(problem.Message)} <a href=\"/signin\">Ask for a new link</a>.</p>",
                ApiProblem.StatusOf(problem.Kind));
        var session = result.Value!;
        HumanSessions.SetCookie(http, session.Secret, session.ExpiresAt);
        return TypedResults.Redirect(session.ReturnPath ?? "/dashboard");
    }

    static async Task<IResult> SignOut(HttpContext http, IClusterClient orleans)
    {
        if (http.Request.Cookies[HumanSessions.CookieName] is { Length: > 0 and <= 200 } secret)
            await orleans.GetGrain<IHumanSessionGrain>(HumanSessions.GrainId(secret)).End();
        HumanSessions.ClearCookie(http);
        return TypedResults.Redirect("/signin");
    }

    static IResult NotAForm() => HtmlPage.Result("Sign in", "Submit the sign-in form.", StatusCodes.Status400BadRequest);

    static async Task<IResult> Dashboard(HumanPrincipal human, IClusterClient orleans, DashboardSections sections) =>
        await Render("Your dashboard", human, orleans, sections, (s, o) => s.RenderOverview(human, o, orleans));

    static async Task<IResult> Settings(HumanPrincipal human, IClusterClient orleans, DashboardSections sections) =>
        await Render("Settings", human, orleans, sections, (s, o) => s.RenderSettings(human, o, orleans));

    static async Task<IResult> Render(string title, HumanPrincipal human, IClusterClient orleans, DashboardSections sections,
        Func<IDashboardSection, HumanOverview, Task<string>> render)
    {
        var overview = await orleans.GetGrain<IHumanGrain>(human.HumanKey).GetOverview();
        if (overview is null) return HtmlPage.Render(title, "<p>No account.</p>", 404, human.Email);
        var parts = new List<string>();
        foreach (var section in sections.All) parts.Add(await render(section, overview));
        return HtmlPage.Render(title, string.Join("\n", parts), 200, human.Email);
    }
}
