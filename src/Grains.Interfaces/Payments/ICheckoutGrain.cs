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
