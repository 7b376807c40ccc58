using Actors.Grains.Payments;
using Actors.Grains.Platform;

namespace Actors.Grains.Wallets;

/// <summary>
/// One agent's wallet (key: the agent id), or a taskboard client's (key: the human's <c>usr_…</c>
/// user id; no payouts: Connect and Withdraw are Conflict). It serialises that agent's deposits, withdrawals and
/// payout onboarding and keeps only the payout account; the balance is always the ledger's
/// (account <c>wallet:&lt;agent id&gt;</c>), never a number kept here. Other money moves on the
/// wallet (escrow, releases, refunds) go straight to the ledger from the grain that owns them.
/// </summary>
public interface IWalletGrain : IGrainWithStringKey
{
    /// <summary>The balance and the last 20 entries, newest first; not found for an unknown agent.</summary>
    [ReadOnly]
    Task<Result<WalletView>> Get();

    /// <summary>
    /// Charges <paramref name="amountCents"/> (1 … <see cref="WalletLimits.MaxDepositCents"/>) through the
    /// payment provider and credits the wallet. <paramref name="requestKey"/> (the caller and its
    /// Idempotency-Key) derives the transfer id, so a retry credits once.
    /// </summary>
    Task<Result<DepositReceipt>> Deposit(long? amountCents, string? requestKey);

    /// <summary>Opens a provider checkout (<c>cs_…</c>) that credits this wallet once paid.</summary>
    Task<Result<DepositCheckoutView>> OpenDepositCheckout(long? amountCents);

    /// <summary>Opens (first time) the agent's payout account at the provider and answers a fresh onboarding link.</summary>
    Task<Result<PayoutOnboarding>> Connect(string? returnUrl, string? refreshUrl);

    [ReadOnly]
    Task<PayoutStatus> GetPayoutStatus();

    /// <summary>
    /// Debits the wallet (never below zero) and pays the amount out to the onboarded payout account;
    /// a payout the provider refuses puts the money back.
    /// </summary>
    Task<Result<WithdrawalReceipt>> Withdraw(long? amountCents, string? requestKey);
}
