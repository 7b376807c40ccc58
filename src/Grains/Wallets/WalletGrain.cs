using Actors.Grains.Access;
using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Actors.Grains.Payments;
using Actors.Grains.Platform;

namespace Actors.Grains.Wallets;

public sealed class WalletState
{
    /// <summary>The agent's payout account at the provider (<c>acct_…</c>), once connect was called.</summary>
    public string? PayoutAccountId { get; set; }

    /// <summary>Set once the provider reported onboarding complete (it does not go back).</summary>
    public bool Onboarded { get; set; }
}

/// <summary>
/// One agent's wallet (see <see cref="IWalletGrain"/>), or a taskboard client's (key <c>usr_…</c>: a
/// signed-in human, whom the API only ever sends to their own wallet; it deposits and pays rewards
/// into escrow, and has no payouts). Its calls run one at a time, so an owner's deposits and
/// withdrawals queue here; the ledger alone decides whether a debit fits the balance.
/// Each move's transfer id is derived from the caller's Idempotency-Key when there is one, so a
/// retry whose first answer was lost moves the money once.
/// </summary>
public sealed class WalletGrain(
    [PersistentState("market-wallet", "store")] IPersistentState<WalletState> wallet,
    LedgerGroupCommit ledger,
    LedgerStore balances,
    WalletStore history,
    IPaymentProvider provider) : Grain, IWalletGrain
{
    static readonly Problem Unknown = Problem.NotFound("Agent not found");
    static readonly Problem NoClientPayouts = Problem.Conflict("Withdrawals are for agents' wallets");
    const string ClientPrefix = "usr_";
    const string ClientName = "Client wallet";
    const string ConnectFirst = "Payouts are not set up for this agent: call POST /api/agents/connect and complete onboarding on the page it returns, then withdraw";

    string AgentId => this.GetPrimaryKeyString();
    string Account => WalletLedger.Wallet(AgentId);

    public async Task<Result<WalletView>> Get()
    {
        if (await Profile() is not { } agent) return Unknown;
        var (balance, entries) = await history.Recent(AgentId, WalletLimits.HistoryLength);
        return Result<WalletView>.Ok(new WalletView(agent.Id, agent.Name, balance, entries));
    }

    public async Task<Result<DepositReceipt>> Deposit(long? amountCents, string? requestKey)
    {
        if (WalletRules.CheckAmount(amountCents, WalletLimits.MaxDepositCents) is { } invalid) return invalid;
        if (await Profile() is not { } agent) return Unknown;
        var cents = amountCents!.Value;
        var transferId = MoveId("dep", requestKey);

        // Charged first, under the transfer id as the provider's idempotency key: a retry is charged once.
        var charged = await provider.Charge(new ChargeRequest(transferId, cents, CheckoutGrain.Currency, $"Wallet deposit for {agent.Name}"));
        if (charged == PaymentOutcome.Pending) return Problem.Conflict("The payment provider has not confirmed this charge yet; retry with the same Idempotency-Key");
        if (charged == PaymentOutcome.Failed) return Problem.PaymentRequired("The payment provider declined the charge; nothing was deposited");

        var credited = await ledger.Transfer(
            LedgerTransfer.Move(transferId, WalletLedger.Deposit, LedgerAccount.World, Account, cents),
            WalletLedger.Details(transferId, "Wallet deposit"));
        if (credited.Status == TransferStatus.Mismatch) return Problem.Conflict("This Idempotency-Key was already used for a different deposit");
        // Credits take no lock and report no balance: read it (it may include other moves made since).
        return Result<DepositReceipt>.Ok(new DepositReceipt(WalletHistory.TransactionId(transferId), cents, await balances.Balance(Account), agent.Id, agent.Name));
    }

    public async Task<Result<DepositCheckoutView>> OpenDepositCheckout(long? amountCents)
    {
        if (WalletRules.CheckAmount(amountCents, WalletLimits.MaxDepositCents) is { } invalid) return invalid;
        if (await Profile() is null) return Unknown;
        return await GrainFactory.GetGrain<IDepositCheckoutGrain>(RandomToken.Id("cs"))
            .Open(new DepositCheckoutRequest(AgentId, amountCents!.Value, null, "Wallet deposit (checkout)"));
    }

    public async Task<Result<PayoutOnboarding>> Connect(string? returnUrl, string? refreshUrl)
    {
        if ((CheckReturnUrl("returnUrl", returnUrl) ?? CheckReturnUrl("refreshUrl", refreshUrl)) is { } invalid) return invalid;
        if (IsClient) return NoClientPayouts;
        if (await Profile() is null) return Unknown;
        var link = await provider.OpenPayoutAccount(new PayoutAccountRequest(AgentId, wallet.State.PayoutAccountId, returnUrl, refreshUrl));
        if (wallet.State.PayoutAccountId != link.AccountId)
        {
            wallet.State.PayoutAccountId = link.AccountId;
            await wallet.WriteStateAsync();
        }
        return Result<PayoutOnboarding>.Ok(new PayoutOnboarding(link.OnboardingUrl, link.AccountId));
    }

    public async Task<PayoutStatus> GetPayoutStatus()
    {
        if (wallet.State.PayoutAccountId is not { } accountId) return new PayoutStatus(false, false, false, false, null);
        var state = await provider.PayoutAccount(accountId);
        return new PayoutStatus(state.Exists, state.Onboarded, state.ChargesEnabled, state.PayoutsEnabled, accountId);
    }

    public async Task<Result<WithdrawalReceipt>> Withdraw(long? amountCents, string? requestKey)
    {
        if (WalletRules.CheckAmount(amountCents, long.MaxValue) is { } invalid) return invalid;
        if (IsClient) return NoClientPayouts;
        if (await Profile() is null) return Unknown;
        if (!await PayoutsEnabled()) return Problem.Conflict(ConnectFirst);
        var cents = amountCents!.Value;
        var transferId = MoveId("wdr", requestKey);

        // Debited first (the ledger refuses to go below zero), then paid out under the same id: a retry
        // after a crash in between finds the debit repeated and asks the provider again, which pays once.
        var debited = await ledger.Transfer(
            LedgerTransfer.Move(transferId, WalletLedger.Withdrawal, Account, LedgerAccount.World, cents),
            WalletLedger.Details(transferId, "Withdrawal to bank account"));
        if (debited.Status == TransferStatus.Insufficient)
            return Problem.PaymentRequired($"Insufficient balance: the wallet holds {debited.BalanceOf(Account)} cents, {cents} requested");
        if (debited.Status == TransferStatus.Mismatch) return Problem.Conflict("This Idempotency-Key was already used for a different withdrawal");

        var payout = await provider.Payout(new PayoutRequest(wallet.State.PayoutAccountId!, transferId, cents, CheckoutGrain.Currency));
        if (!payout.Paid)
        {
            var reversalId = transferId + ":reversal";
            await ledger.Transfer(
                LedgerTransfer.Move(reversalId, WalletLedger.WithdrawalReversal, LedgerAccount.World, Account, cents),
                WalletLedger.Details(reversalId, $"Withdrawal returned: {payout.Reason}"));
            return Problem.Conflict($"The payment provider refused the payout ({payout.Reason}); the {cents} cents are back in your wallet");
        }
        return Result<WithdrawalReceipt>.Ok(new WithdrawalReceipt(cents, payout.TransferId!, debited.BalanceOf(Account)));
    }

    async Task<bool> PayoutsEnabled()
    {
        if (wallet.State.Onboarded) return true;
        if (wallet.State.PayoutAccountId is not { } accountId || !(await provider.PayoutAccount(accountId)).PayoutsEnabled) return false;
        wallet.State.Onboarded = true;
        await wallet.WriteStateAsync();
        return true;
    }

    /// <summary>A taskboard client's wallet (a human's user id), not an agent's.</summary>
    bool IsClient => AgentId.StartsWith(ClientPrefix, StringComparison.Ordinal);

    /// <summary>The wallet's owner: the agent's profile; for a client, its user id and a fixed name (no agent to ask).</summary>
    async Task<(string Id, string Name)?> Profile()
    {
        if (IsClient) return (AgentId, ClientName);
        return await GrainFactory.GetGrain<IAgentGrain>(AgentId).GetProfile() is { } agent ? (agent.Id, agent.Name) : null;
    }

    /// <summary>A new id, or one derived from the request key (caller and Idempotency-Key) so its retry is the same move.</summary>
    string MoveId(string prefix, string? requestKey) =>
        requestKey is null ? RandomToken.Id(prefix) : prefix + "_" + SecretHash.Of($"{AgentId}\n{requestKey}")[..32];

    // Optional, but when given, an absolute http(s) URL (the provider sends the operator there).
    static Problem? CheckReturnUrl(string field, string? url) => url is null ? null : AccessRules.CheckAbsoluteUrl(field, url);
}
