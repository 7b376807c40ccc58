using Actors.Api.Humans;
using Actors.Api.Surfaces.Access;
using Actors.Grains.Payments;

namespace Actors.Api.Payments;

/// <summary>
/// The sandbox provider's checkout page for a wallet deposit (<c>/pay/sandbox/cs_…</c>). It needs no
/// session: as with a provider's hosted checkout, the unguessable URL is the capability to pay.
/// Opening it changes nothing; its button POSTs (same origin only), which is the payment, and the
/// checkout credits the wallet once however often the button is pressed.
/// </summary>
public static class SandboxDepositPage
{
    const string Title = "Sandbox checkout";

    public static void Map(IEndpointRouteBuilder app)
    {
        // "cs_{rest}" outranks the org checkout's "{id}" route, which needs a signed-in human.
        var pay = app.MapGroup(SandboxCheckout.PagePath.TrimEnd('/')).RequireSameOrigin().ExcludeFromDescription();
        pay.MapGet("/cs_{rest}", Show);
        pay.MapPost("/cs_{rest}", Pay).DisableAntiforgery();
    }

    static async Task<IResult> Show(string rest, IClusterClient orleans)
    {
        if (!IsSessionId(rest)) return Missing();
        if (await orleans.GetGrain<IDepositCheckoutGrain>("cs_" + rest).Get() is not { } c) return Missing();
        var action = c.Status switch
        {
            CheckoutStatus.Paid => $"<p id=\"result\">{PaidText(c)}</p>{BackLink(c)}",
            CheckoutStatus.Expired => $"<p id=\"result\">This checkout expired and can no longer be paid. {(ForClient(c) ? "Open a new one from your dashboard." : "Ask the agent for a new checkout link.")}</p>{BackLink(c)}",
            _ => HtmlPage.PostButton(SandboxCheckout.PagePath + c.SessionId, "pay", $"Pay {AccountPages.Money(c.AmountCents)} (sandbox)"),
        };
        return HtmlPage.Render(Title, $"""
            <p><strong>Sandbox:</strong> this is the local test payment provider. No card is asked for and no money moves.</p>
            <table id="checkout">
            <tr><th>For</th><td id="description">{HtmlPage.Encode(c.Description)}</td></tr>
            <tr><th>Amount</th><td id="amount">{AccountPages.Money(c.AmountCents)} USD</td></tr>
            </table>
            {action}
            """);
    }

    static async Task<IResult> Pay(string rest, HttpContext http, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is null) return HtmlPage.Result(Title, "Send this form from its page. Nothing was paid.", StatusCodes.Status400BadRequest);
        if (!IsSessionId(rest)) return Missing();
        var result = await orleans.GetGrain<IDepositCheckoutGrain>("cs_" + rest).Complete();
        return result.Problem is { } problem
            ? HtmlPage.Failure(Title, problem)
            : HtmlPage.Render("Payment complete", $"<p id=\"result\">{PaidText(result.Value!)}</p>{BackLink(result.Value!)}");
    }

    // A taskboard client's checkout (a human's usr_ wallet) credits "your wallet" and leads back to the dashboard.
    static bool ForClient(DepositCheckoutView c) => c.AgentId.StartsWith("usr_", StringComparison.Ordinal);

    static string PaidText(DepositCheckoutView c) =>
        HtmlPage.Encode($"Paid. {AccountPages.Money(c.AmountCents)} was added to {(ForClient(c) ? "your" : "the agent's")} wallet.");

    static string BackLink(DepositCheckoutView c) =>
        ForClient(c) ? "<p><a id=\"back\" href=\"/taskboard/client\">Back to your taskboard dashboard</a></p>" : "";

    static IResult Missing() => HtmlPage.Failure(Title, Grains.Platform.Problem.NotFound("Checkout not found"));

    static bool IsSessionId(string rest) => rest.Length is > 0 and <= 60 && rest.All(char.IsAsciiLetterOrDigit);
}
