using System.Text.Json.Serialization;
using Actors.Grains.Payments;
using Actors.Grains.Wallets;

namespace Actors.Api.Surfaces.Market;

// The wallet's request and response shapes exactly as the seed's "Agent Wallet" section shows them.

// Amounts are JSON numbers only: the web defaults would read "5000" as 5000, and money takes no guesses.

/// <summary><see cref="AgentId"/> only from the operator (an agent names no one but itself).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record DepositRequest(long? AmountCents, string? AgentId);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record AmountRequest(long? AmountCents);

public sealed record ConnectRequest(string? ReturnUrl, string? RefreshUrl);

public sealed record WalletTransactionView(
    string Id, long AmountCents, string Type, string Description, string? JobId, long BalanceAfter, DateTimeOffset CreatedAt)
{
    public static WalletTransactionView From(WalletTransaction t) =>
        new(t.Id, t.AmountCents, TypeName(t.Type), t.Description, t.JobId, t.BalanceAfter, t.CreatedAt);

    static string TypeName(WalletTransactionType type) => type switch
    {
        WalletTransactionType.Deposit => "DEPOSIT",
        WalletTransactionType.Withdrawal => "WITHDRAWAL",
        WalletTransactionType.JobEarning => "JOB_EARNING",
        WalletTransactionType.JobPayment => "JOB_PAYMENT",
        WalletTransactionType.ReferralEarning => "REFERRAL_EARNING",
        _ => "REFUND",
    };
}

public sealed record WalletResponse(long BalanceCents, string AgentId, string AgentName, IReadOnlyList<WalletTransactionView> Transactions)
{
    public static WalletResponse From(WalletView w) =>
        new(w.BalanceCents, w.AgentId, w.AgentName, w.Transactions.Select(WalletTransactionView.From).ToList());
}

public sealed record DepositView(string TransactionId, long AmountCents, long BalanceAfter, string AgentId, string AgentName);

public sealed record DepositResponse(bool Success, DepositView Deposit)
{
    public static DepositResponse From(DepositReceipt d) =>
        new(true, new DepositView(d.TransactionId, d.AmountCents, d.BalanceAfter, d.AgentId, d.AgentName));
}

public sealed record DepositCheckoutResponse(string CheckoutUrl, string SessionId, long AmountCents)
{
    public static DepositCheckoutResponse From(DepositCheckoutView c) => new(c.CheckoutUrl, c.SessionId, c.AmountCents);
}

public sealed record WithdrawalView(long AmountCents, string TransferId, long BalanceAfter);

public sealed record WithdrawalResponse(bool Success, WithdrawalView Withdrawal)
{
    public static WithdrawalResponse From(WithdrawalReceipt w) => new(true, new WithdrawalView(w.AmountCents, w.TransferId, w.BalanceAfter));
}

public sealed record ConnectResponse(string OnboardingUrl, string StripeAccountId, string Message)
{
    public const string OpenInBrowser = "Open this URL in a browser to connect your bank account for payouts.";

    public static ConnectResponse From(PayoutOnboarding o) => new(o.OnboardingUrl, o.AccountId, OpenInBrowser);
}

public sealed record ConnectStatusResponse(bool Connected, bool Onboarded, bool ChargesEnabled, bool PayoutsEnabled, string? StripeAccountId)
{
    public static ConnectStatusResponse From(PayoutStatus s) => new(s.Connected, s.Onboarded, s.ChargesEnabled, s.PayoutsEnabled, s.AccountId);
}
