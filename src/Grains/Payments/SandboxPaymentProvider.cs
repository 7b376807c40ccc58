using Actors.Grains.Identity;
using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Payments;

/// <summary>
/// The local payment provider: no money moves anywhere. Its checkout page is served by our own
/// API at <c>/pay/sandbox/{checkoutId}</c>; the payer's explicit POST on that page is the
/// payment, so by the time a checkout asks, the sandbox confirms it as paid.
/// </summary>
public sealed class SandboxPaymentProvider(IOptions<ActorsOptions> options) : IPaymentProvider
{
    public const string ProviderName = "sandbox";
    public const string PagePath = SandboxCheckout.PagePath;

    public string Name => ProviderName;

    public Task<PaymentSession> Open(PaymentRequest request) => Task.FromResult(new PaymentSession(
        RandomToken.Id("sbx"),
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}{PagePath}{Uri.EscapeDataString(request.CheckoutId)}"));

    public Task<PaymentOutcome> Confirm(PaymentSession session) => Task.FromResult(PaymentOutcome.Paid);
}
