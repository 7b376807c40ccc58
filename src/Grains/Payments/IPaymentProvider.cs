namespace Actors.Grains.Payments;

/// <summary>
/// Where money comes from. The ledger never knows which provider moved it: a checkout asks the
/// provider for a place to pay, and on completion asks it whether the payment went through.
/// The default is <see cref="SandboxPaymentProvider"/>; a real one (Stripe, …) would open its
/// hosted checkout here and confirm by its API or a signed webhook.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Short name recorded on each checkout ("sandbox").</summary>
    string Name { get; }

    Task<PaymentSession> Open(PaymentRequest request);

    /// <summary>Whether the payment of <paramref name="session"/> is complete.</summary>
    Task<PaymentOutcome> Confirm(PaymentSession session);
}

/// <summary>What to charge: <paramref name="AmountCents"/> in <paramref name="Currency"/>, for checkout <paramref name="CheckoutId"/>.</summary>
public sealed record PaymentRequest(string CheckoutId, long AmountCents, string Currency, string Description);

/// <summary>The provider's handle on one payment and the page where the payer pays.</summary>
public sealed record PaymentSession(string Reference, string PayUrl);

public enum PaymentOutcome { Paid, Pending, Failed }
