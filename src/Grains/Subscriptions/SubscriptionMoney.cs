using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Wallets;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// A subscription's money: one ledger transfer per month, straight from the subscriber's wallet to the
/// provider, the platform and the provider's referrer, shared as a job's release is
/// (<see cref="JobMoney.Release"/>). Its id names the subscription and the period, so a month charged
/// again (a retry, a late or repeated wake, a crash between the charge and the row) moves money once.
/// </summary>
public static class SubscriptionMoney
{
    /// <summary>The transfer of month <paramref name="period"/> (0 for the first, then the row's billed periods).</summary>
    public static string ChargeId(string subscriptionId, int period) => $"sub-charge:{subscriptionId}:{period}";

    /// <summary>The charge of month <paramref name="period"/>: only the non-zero legs; null for a free subscription.</summary>
    public static (LedgerTransfer Transfer, LedgerWrite Details)? Charge(
        string subscriptionId, int period, string subscriberId, string providerId, string? referrerId, long priceCents, string serviceTitle,
        int feePercent, int referralPercent)
    {
        if (priceCents <= 0) return null;
        var shares = JobMoney.Release(priceCents, feePercent, referralPercent, referrerId is not null);
        var id = ChargeId(subscriptionId, period);
        var (legs, referrer, _) = JobMoney.Legs(WalletLedger.Wallet(subscriberId), priceCents, shares, providerId, referrerId, buyerId: null);
        return (new LedgerTransfer(id, WalletLedger.SubscriptionCharge, legs),
            WalletLedger.Details(id, $"Subscription: {serviceTitle} (month {period + 1})", referrerAccount: referrer));
    }
}
