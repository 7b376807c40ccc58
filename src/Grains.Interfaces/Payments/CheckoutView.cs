namespace Actors.Grains.Payments;

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
