using Actors.Grains.Identity;
using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Payments;

/// <summary>
/// The local payment provider: no money moves anywhere. Its checkout page is served by our own
/// API at <c>/pay/sandbox/{checkoutId}</c>; the payer's explicit POST on that page is the
/// payment, so by the time a checkout asks, the sandbox confirms it as paid. A direct charge
/// succeeds at once. Payout accounts are <see cref="ISandboxPayoutAccountGrain"/>s, onboarded on
/// <c>/pay/sandbox/connect/{accountId}</c>; a payout to an onboarded account succeeds unless its
/// operator chose the test bank account that refuses payouts.
/// </summary>
public sealed class SandboxPaymentProvider(IOptions<ActorsOptions> options, IGrainFactory grains) : IPaymentProvider
{
    public const string ProviderName = "sandbox";
    public const string PagePath = SandboxCheckout.PagePath;

    public string Name => ProviderName;

    string BaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    public Task<PaymentSession> Open(PaymentRequest request) => Task.FromResult(new PaymentSession(
        RandomToken.Id("sbx"),
        $"{BaseUrl}{PagePath}{Uri.EscapeDataString(request.CheckoutId)}"));

    public Task<PaymentOutcome> Confirm(PaymentSession session) => Task.FromResult(PaymentOutcome.Paid);

    public Task<PaymentOutcome> Charge(ChargeRequest request) => Task.FromResult(PaymentOutcome.Paid);

    public async Task<PayoutAccountLink> OpenPayoutAccount(PayoutAccountRequest request)
    {
        var accountId = request.AccountId ?? RandomToken.Id("acct");
        await grains.GetGrain<ISandboxPayoutAccountGrain>(accountId).Open(request.OwnerId, request.ReturnUrl, request.RefreshUrl);
        return new PayoutAccountLink(accountId, $"{BaseUrl}{SandboxCheckout.ConnectPath}{Uri.EscapeDataString(accountId)}");
    }

    public async Task<PayoutAccountState> PayoutAccount(string accountId) =>
        await grains.GetGrain<ISandboxPayoutAccountGrain>(accountId).Get() is { } account
            ? new PayoutAccountState(true, account.Onboarded, account.Onboarded, account.Onboarded)
            : new PayoutAccountState(false, false, false, false);

    public async Task<PayoutOutcome> Payout(PayoutRequest request)
    {
        var account = await grains.GetGrain<ISandboxPayoutAccountGrain>(request.AccountId).Get();
        if (account is not { Onboarded: true }) return new PayoutOutcome(false, null, "the payout account has not completed onboarding");
        if (account.RefusesPayouts) return new PayoutOutcome(false, null, "the bank account refused the payout");
        // Derived from the reference, so a repeated payout is the same payout (the provider's idempotency).
        return new PayoutOutcome(true, "tr_" + SecretHash.Of(request.Reference)[..24], null);
    }
}
