using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Payments;

namespace Actors.Api.Payments;

/// <summary>
/// The sandbox provider's payout onboarding page (<c>/pay/sandbox/connect/acct_…</c>), the link
/// <c>POST /market/api/agents/connect</c> answers. Like a provider's onboarding link it needs no
/// session (the URL is the capability). Opening it changes nothing; its form POSTs (same origin
/// only) the chosen test bank account, which completes onboarding, then returns to the agent's
/// <c>returnUrl</c> if it gave one.
/// </summary>
public static class SandboxConnectPage
{
    const string Title = "Sandbox payout onboarding";

    public static void Map(IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup(SandboxCheckout.ConnectPath.TrimEnd('/')).RequireSameOrigin().ExcludeFromDescription();
        connect.MapGet("/{id}", Show);
        connect.MapPost("/{id}", Complete).DisableAntiforgery();
    }

    static async Task<IResult> Show(string id, IClusterClient orleans)
    {
        if (!IsAccountId(id) || await orleans.GetGrain<ISandboxPayoutAccountGrain>(id).Get() is not { } account) return Missing();
        if (account.Onboarded) return HtmlPage.Result(Title, "Onboarding is complete: payouts to this bank account are enabled.");
        return HtmlPage.Render(Title, $"""
            <p><strong>Sandbox:</strong> this is the local test payment provider. No bank details are asked for and no money moves.</p>
            <form method="post" action="{HtmlPage.Encode(SandboxCheckout.ConnectPath + account.AccountId)}">
            <p><label for="bank-account">Test bank account</label>
            <select name="bankAccount" id="bank-account">
            <option value="{SandboxPayoutAccount.PayableBankAccount}">{SandboxPayoutAccount.PayableBankAccount} (payouts succeed)</option>
            <option value="{SandboxPayoutAccount.RefusingBankAccount}">{SandboxPayoutAccount.RefusingBankAccount} (payouts are refused)</option>
            </select></p>
            <button type="submit" id="onboard">Connect this bank account</button>
            </form>
            """);
    }

    static async Task<IResult> Complete(string id, HttpContext http, IClusterClient orleans)
    {
        if (await HumanForms.Read(http) is not { } form) return HtmlPage.Result(Title, "Send this form from its page. Nothing was changed.", StatusCodes.Status400BadRequest);
        if (!IsAccountId(id)) return Missing();
        var bankAccount = form["bankAccount"].ToString() is { Length: > 0 } chosen ? chosen : SandboxPayoutAccount.PayableBankAccount;
        if (bankAccount is not (SandboxPayoutAccount.PayableBankAccount or SandboxPayoutAccount.RefusingBankAccount))
            return HtmlPage.Result(Title, "Choose one of the test bank accounts. Nothing was changed.", StatusCodes.Status400BadRequest);
        if (await orleans.GetGrain<ISandboxPayoutAccountGrain>(id).CompleteOnboarding(bankAccount) is not { } account) return Missing();
        return account.ReturnUrl is { } returnUrl
            ? TypedResults.Redirect(returnUrl)
            : HtmlPage.Result("Onboarding complete", "Onboarding is complete: payouts to this bank account are enabled.");
    }

    static IResult Missing() => HtmlPage.Failure(Title, Grains.Platform.Problem.NotFound("Payout account not found"));

    static bool IsAccountId(string id) => PrefixedId.Is(id, "acct_");
}
