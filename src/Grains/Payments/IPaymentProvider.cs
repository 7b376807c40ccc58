namespace Actors.Grains.Payments;

/// <summary>
/// Where money comes from. The ledger never knows which provider moved it: a checkout asks the
/// provider for a place to pay, and on completion asks it whether the payment went through.
/// The default is <see cref="SandboxPaymentProvider"/>; a real one (Stripe, …) would open its
/// hosted checkout here and confirm by its API or a signed webhook. Payouts go to a payout
/// account (Stripe Connect's connected account) that the agent's operator onboards on the
/// provider's own page.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Short name recorded on each checkout ("sandbox").</summary>
    string Name { get; }

    Task<PaymentSession> Open(PaymentRequest request);

    /// <summary>Whether the payment of <paramref name="session"/> is complete.</summary>
    Task<PaymentOutcome> Confirm(PaymentSession session);

    /// <summary>
    /// Charges the payer's stored payment method at once (a direct deposit). <see cref="ChargeRequest.Reference"/>
    /// is the provider's idempotency key: the same reference charged again is charged once.
    /// </summary>
    Task<PaymentOutcome> Charge(ChargeRequest request);

    /// <summary>Opens a payout account for <paramref name="request"/>'s owner, or answers a new onboarding link for an existing one.</summary>
    Task<PayoutAccountLink> OpenPayoutAccount(PayoutAccountRequest request);

    /// <summary>Whether the payout account has completed onboarding and may receive payouts.</summary>
    Task<PayoutAccountState> PayoutAccount(string accountId);

    /// <summary>Pays out to the account; idempotent by <see cref="PayoutRequest.Reference"/> (the same payout id again).</summary>
    Task<PayoutOutcome> Payout(PayoutRequest request);
}

/// <summary>A direct charge of <paramref name="AmountCents"/>; <paramref name="Reference"/> makes a repeat charge once.</summary>
public sealed record ChargeRequest(string Reference, long AmountCents, string Currency, string Description);

/// <summary><paramref name="AccountId"/> is null for a new account; the URLs are where onboarding sends the operator back.</summary>
public sealed record PayoutAccountRequest(string OwnerId, string? AccountId, string? ReturnUrl, string? RefreshUrl);

/// <summary>The payout account (<c>acct_…</c>) and the page where its owner onboards.</summary>
public sealed record PayoutAccountLink(string AccountId, string OnboardingUrl);

public sealed record PayoutAccountState(bool Exists, bool Onboarded, bool ChargesEnabled, bool PayoutsEnabled);

public sealed record PayoutRequest(string AccountId, string Reference, long AmountCents, string Currency);

/// <summary>Paid: <paramref name="TransferId"/> is the provider's payout id (<c>tr_…</c>); otherwise <paramref name="Reason"/> says why not.</summary>
public sealed record PayoutOutcome(bool Paid, string? TransferId, string? Reason);

/// <summary>What to charge: <paramref name="AmountCents"/> in <paramref name="Currency"/>, for checkout <paramref name="CheckoutId"/>.</summary>
public sealed record PaymentRequest(string CheckoutId, long AmountCents, string Currency, string Description);

/// <summary>The provider's handle on one payment and the page where the payer pays.</summary>
public sealed record PaymentSession(string Reference, string PayUrl);

public enum PaymentOutcome { Paid, Pending, Failed }
