using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Api.Surfaces.Access;
using Actors.Grains.Payments;

namespace Actors.Api.Payments;

/// <summary>
/// The sandbox payment provider's checkout page, served by us. Opening it changes nothing; its
/// button POSTs, which is the payment (no money moves), and completes the checkout. Only the
/// human who opened the checkout sees or pays it.
/// </summary>
public static class SandboxCheckoutPage
{
    const string Title = "Sandbox checkout";

    public static void Map(IEndpointRouteBuilder app)
    {
        var pay = app.MapGroup(SandboxCheckout.PagePath.TrimEnd('/')).RequireAuthorization(HumanSessions.Policy).RequireSameOrigin().ExcludeFromDescription();
        pay.MapGet("/{id}", Show);
        pay.MapPost("/{id}", Pay).DisableAntiforgery();
    }

    static async Task<IResult> Show(string id, HumanPrincipal human, IClusterClient orleans)
    {
        if (!IsCheckoutId(id)) return Missing(human);
        var result = await orleans.GetGrain<ICheckoutGrain>(id).Get(human.HumanKey);
        if (result.Problem is { } problem) return AccountPages.Failure(problem, human);
        var c = result.Value!;
        var action = c.Status switch
        {
            CheckoutStatus.Paid => $"<p id=\"result\">Paid. <a href=\"/account/orgs/{HtmlPage.Encode(c.OrgId)}\">Back to {HtmlPage.Encode(c.OrgName)}</a></p>",
            CheckoutStatus.Expired => "<p id=\"result\">This checkout expired. Choose the plan again on your <a href=\"/account\">Account page</a>.</p>",
            _ => $"""
                {HtmlPage.PostButton(SandboxCheckout.PagePath + c.Id, "pay", $"Pay {AccountPages.Money(c.AmountCents)} (sandbox)")}
                <p><a href="/account/orgs/{HtmlPage.Encode(c.OrgId)}">Cancel</a></p>
                """,
        };
        return HtmlPage.Render(Title, $"""
            <p><strong>Sandbox:</strong> this is the local test payment provider. No card is asked for and no money moves.</p>
            <table id="checkout">
            <tr><th>Organisation</th><td id="org">{HtmlPage.Encode(c.OrgName)}</td></tr>
            <tr><th>Plan</th><td id="checkout-plan">{HtmlPage.Encode(c.Plan)} ({c.MonthlyCredits:N0} credits a month)</td></tr>
            <tr><th>Amount</th><td id="amount">{AccountPages.Money(c.AmountCents)} {c.Currency.ToUpperInvariant()}</td></tr>
            </table>
            {action}
            """, signedInAs: human.Email);
    }

    static async Task<IResult> Pay(string id, HttpContext http, HumanPrincipal human, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is null) return AccountPages.Refused(human);
        if (!IsCheckoutId(id)) return Missing(human);
        var result = await orleans.GetGrain<ICheckoutGrain>(id).Complete(human.HumanKey);
        return result.Problem is { } problem
            ? AccountPages.Failure(problem, human)
            : TypedResults.Redirect($"/account/orgs/{result.Value!.OrgId}");
    }

    static IResult Missing(HumanPrincipal human) => AccountPages.Failure(Grains.Platform.Problem.NotFound("Checkout not found"), human);

    static bool IsCheckoutId(string id) => id is { Length: > 4 and <= 64 } && id.StartsWith("chk_", StringComparison.Ordinal);
}
