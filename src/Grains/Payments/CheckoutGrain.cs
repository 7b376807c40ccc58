using Actors.Grains.Access;
using Actors.Grains.Platform;

namespace Actors.Grains.Payments;

public sealed class CheckoutState
{
    public string? OrgId { get; set; }
    public string OrgName { get; set; } = "";
    public string HumanKey { get; set; } = "";
    public string Plan { get; set; } = "";
    public long MonthlyCredits { get; set; }
    public long AmountCents { get; set; }
    public string Provider { get; set; } = "";
    public string Reference { get; set; } = "";
    public string PayUrl { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
}

/// <summary>
/// A checkout's lifecycle: open (for <see cref="Lifetime"/>), then paid once. The plan is applied
/// before the checkout is recorded as paid, and applying it is idempotent by the checkout id, so a
/// completion retried after any failure neither loses nor doubles the credits.
/// </summary>
public sealed class CheckoutGrain(
    [PersistentState("checkout", "store")] IPersistentState<CheckoutState> checkout,
    IPaymentProvider provider,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ICheckoutGrain
{
    public const string Currency = "usd";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    static readonly Problem Unknown = Problem.NotFound("Checkout not found");

    string CheckoutId => this.GetPrimaryKeyString();
    CheckoutState S => checkout.State;
    bool Exists => S.OrgId is not null;

    public async Task<Result<CheckoutView>> Open(NewCheckout request)
    {
        if (Exists) return Problem.Conflict("Checkout already exists");
        if (request.AmountCents <= 0 || request.MonthlyCredits <= 0) return Problem.Invalid("plan", "The plan has no price");
        var session = await provider.Open(new PaymentRequest(CheckoutId, request.AmountCents, Currency,
            $"{request.Plan} plan for {request.OrgName}: {request.MonthlyCredits} credits a month"));
        var now = clock.GetUtcNow();
        checkout.State = new CheckoutState
        {
            OrgId = request.OrgId,
            OrgName = request.OrgName,
            HumanKey = request.HumanKey,
            Plan = request.Plan,
            MonthlyCredits = request.MonthlyCredits,
            AmountCents = request.AmountCents,
            Provider = provider.Name,
            Reference = session.Reference,
            PayUrl = session.PayUrl,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        await checkout.WriteStateAsync();
        return Result<CheckoutView>.Ok(View());
    }

    public Task<Result<CheckoutView>> Get(string humanKey) =>
        Task.FromResult(Exists && S.HumanKey == humanKey ? Result<CheckoutView>.Ok(View()) : Unknown);

    public async Task<Result<CheckoutView>> Complete(string humanKey)
    {
        if (!Exists || S.HumanKey != humanKey) return Unknown;
        if (S.PaidAt is not null) return Result<CheckoutView>.Ok(View());
        if (clock.GetUtcNow() >= S.ExpiresAt) return Problem.Gone("This checkout expired; choose the plan again for a new one");

        var outcome = await provider.Confirm(new PaymentSession(S.Reference, S.PayUrl));
        if (outcome == PaymentOutcome.Pending) return Problem.Conflict("The payment provider has not confirmed this payment yet");
        if (outcome == PaymentOutcome.Failed) return Problem.PaymentRequired("The payment failed; nothing was charged");

        var applied = await GrainFactory.GetGrain<IOrgGrain>(S.OrgId!).ApplyPlan(CheckoutId, S.Plan, S.MonthlyCredits);
        if (applied.Problem is { } problem) return problem;
        S.PaidAt = clock.GetUtcNow();
        await checkout.WriteStateAsync();
        return Result<CheckoutView>.Ok(View());
    }

    CheckoutView View() => new(CheckoutId, S.OrgId!, S.OrgName, S.Plan, S.MonthlyCredits, S.AmountCents, Currency,
        S.PaidAt is not null ? CheckoutStatus.Paid : clock.GetUtcNow() >= S.ExpiresAt ? CheckoutStatus.Expired : CheckoutStatus.Open,
        S.Provider, S.PayUrl, S.CreatedAt, S.ExpiresAt, S.PaidAt);
}
