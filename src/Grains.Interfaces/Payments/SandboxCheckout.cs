namespace Actors.Grains.Payments;

/// <summary>Where the sandbox payment provider's checkout page lives (served by the API).</summary>
public static class SandboxCheckout
{
    public const string PagePath = "/pay/sandbox/";
}
