using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Payments;
using Actors.Grains.Platform;

namespace Actors.Grains.Wallets;

public sealed class DepositCheckoutState
{
    public string? AgentId { get; set; }
    public long AmountCents { get; set; }
    public string? JobId { get; set; }
    public string Description { get; set; } = "";
    public string Provider { get; set; } = "";
    public string Reference { get; set; } = "";
    public string PayUrl { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
}

/// <summary>
/// A wallet deposit through the provider's checkout (see <see cref="IDepositCheckoutGrain"/>): open for
/// <see cref="Lifetime"/>, then paid once. The credit's transfer id is derived from the session id, so
/// however often the provider reports the payment (and whatever failed in between) the wallet is
/// credited once; the job, if any, is told after the credit, and telling it again is harmless.
/// </summary>
public sealed class DepositCheckoutGrain(
    [PersistentState("deposit-checkout", "store")] IPersistentState<DepositCheckoutState> checkout,
    LedgerGroupCommit ledger,
    IPaymentProvider provider,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IDepositCheckoutGrain
{
    /// <summary>How long a checkout can be paid (a provider's hosted checkout lasts 24 hours).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    static readonly Problem Unknown = Problem.NotFound("Checkout not found");

    string SessionId => this.GetPrimaryKeyString();
    DepositCheckoutState S => checkout.State;
    bool Exists => S.AgentId is not null;

    /// <summary>The ledger transfer that credits this checkout's payment.</summary>
    public static string CreditId(string sessionId) => "deposit:" + sessionId;

    public async Task<Result<DepositCheckoutView>> Open(DepositCheckoutRequest request)
    {
        if (Exists) return Problem.Conflict("Checkout already exists");
        // A deposit of the agent's own choosing has the seed's cap; a job's checkout pays what the job costs.
        var max = request.JobId is null ? WalletLimits.MaxDepositCents : long.MaxValue;
        if (WalletRules.CheckAmount(request.AmountCents, max) is { } invalid) return invalid;
        var session = await provider.Open(new PaymentRequest(SessionId, request.AmountCents, CheckoutGrain.Currency, request.Description));
        var now = clock.GetUtcNow();
        checkout.State = new DepositCheckoutState
        {
            AgentId = request.AgentId,
            AmountCents = request.AmountCents,
            JobId = request.JobId,
            Description = request.Description,
            Provider = provider.Name,
            Reference = session.Reference,
            PayUrl = session.PayUrl,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        await checkout.WriteStateAsync();
        return Result<DepositCheckoutView>.Ok(View());
    }

    public Task<DepositCheckoutView?> Get() => Task.FromResult(Exists ? View() : null);

    public async Task<Result<DepositCheckoutView>> Complete()
    {
        if (!Exists) return Unknown;
        if (S.PaidAt is null)
        {
            if (clock.GetUtcNow() >= S.ExpiresAt) return Problem.Gone("This checkout expired and can no longer be paid; open a new one");
            var outcome = await provider.Confirm(new PaymentSession(S.Reference, S.PayUrl));
            if (outcome == PaymentOutcome.Pending) return Problem.Conflict("The payment provider has not confirmed this payment yet");
            if (outcome == PaymentOutcome.Failed) return Problem.PaymentRequired("The payment failed; nothing was charged");

            var creditId = CreditId(SessionId);
            var credited = await ledger.Transfer(
                LedgerTransfer.Move(creditId, WalletLedger.Deposit, LedgerAccount.World, WalletLedger.Wallet(S.AgentId!), S.AmountCents),
                WalletLedger.Details(creditId, S.Description, S.JobId));
            if (!credited.Succeeded) throw new InvalidOperationException($"The credit of checkout {SessionId} was refused: {credited.Status}");
            S.PaidAt = clock.GetUtcNow();
            await checkout.WriteStateAsync();
        }
        // Every report of a paid job checkout tells the job again: it may have missed the first.
        if (S.JobId is { } jobId) await GrainFactory.GetGrain<IJobGrain>(jobId).PaymentReceived(SessionId);
        return Result<DepositCheckoutView>.Ok(View());
    }

    DepositCheckoutView View() => new(SessionId, S.AgentId!, S.AmountCents, S.JobId, S.Description, S.PayUrl,
        S.PaidAt is not null ? CheckoutStatus.Paid : clock.GetUtcNow() >= S.ExpiresAt ? CheckoutStatus.Expired : CheckoutStatus.Open,
        S.CreatedAt, S.ExpiresAt, S.PaidAt);
}
