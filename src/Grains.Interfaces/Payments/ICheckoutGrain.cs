using Actors.Grains.Platform;

namespace Actors.Grains.Payments;

/// <summary>
/// One checkout (<c>chk_…</c>): a human paying for an organisation's plan through the payment
/// provider. Opened by the org for its owner; completed once, when the provider confirms the
/// payment; then the org gets the plan and its credits (idempotent by the checkout id).
/// </summary>
public interface ICheckoutGrain : IGrainWithStringKey
{
    Task<Result<CheckoutView>> Open(NewCheckout checkout);

    /// <summary>The checkout as its payer sees it; not found for anyone else.</summary>
    [ReadOnly]
    Task<Result<CheckoutView>> Get(string humanKey);

    /// <summary>Completes the payment (once; a repeat answers the paid checkout) and applies the plan.</summary>
    Task<Result<CheckoutView>> Complete(string humanKey);
}

[GenerateSerializer, Immutable]
public sealed record NewCheckout(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrgName,
    [property: Id(2)] string HumanKey,
    [property: Id(3)] string Plan,
    [property: Id(4)] long MonthlyCredits,
    [property: Id(5)] long AmountCents);

public enum CheckoutStatus { Open, Paid, Expired }

[GenerateSerializer, Immutable]
public sealed record CheckoutView(
    [property: Id(0)] string Id,
    [property: Id(1)] string OrgId,
    [property: Id(2)] string OrgName,
    [property: Id(3)] string Plan,
    [property: Id(4)] long MonthlyCredits,
    [property: Id(5)] long AmountCents,
    [property: Id(6)] string Currency,
    [property: Id(7)] CheckoutStatus Status,
    [property: Id(8)] string Provider,
    [property: Id(9)] string PayUrl,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset ExpiresAt,
    [property: Id(12)] DateTimeOffset? PaidAt);

/// <summary>Where the sandbox payment provider's checkout page lives (served by the API).</summary>
public static class SandboxCheckout
{
    public const string PagePath = "/pay/sandbox/";
}
