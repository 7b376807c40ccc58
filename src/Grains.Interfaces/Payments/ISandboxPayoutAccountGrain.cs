namespace Actors.Grains.Payments;

/// <summary>
/// The sandbox payment provider's payout account (<c>acct_…</c>): what a real provider keeps on its
/// side (onboarded or not, where to send the operator back). Its onboarding page, on our own host,
/// completes onboarding; the operator picks a test bank account, one of which refuses payouts
/// (as a real provider's test mode has), so a refused payout can be tried.
/// </summary>
public interface ISandboxPayoutAccountGrain : IGrainWithStringKey
{
    /// <summary>Opens the account for <paramref name="ownerId"/> (first call) and sets where onboarding returns to.</summary>
    Task<SandboxPayoutAccount> Open(string ownerId, string? returnUrl, string? refreshUrl);

    /// <summary>Null for an account never opened.</summary>
    [ReadOnly]
    Task<SandboxPayoutAccount?> Get();

    /// <summary>Completes onboarding with the chosen test bank account (once; a repeat keeps the first choice). Null for an unknown account.</summary>
    Task<SandboxPayoutAccount?> CompleteOnboarding(string bankAccount);
}
