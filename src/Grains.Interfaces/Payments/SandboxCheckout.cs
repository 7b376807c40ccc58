namespace Actors.Grains.Payments;

/// <summary>Where the sandbox payment provider's pages live (served by the API).</summary>
public static class SandboxCheckout
{
    /// <summary>Checkout pages: <c>chk_…</c> (an org plan, for its signed-in human) and <c>cs_…</c> (a wallet deposit: the URL is the capability).</summary>
    public const string PagePath = "/pay/sandbox/";

    /// <summary>Payout onboarding pages of sandbox payout accounts (<c>acct_…</c>).</summary>
    public const string ConnectPath = "/pay/sandbox/connect/";
}
