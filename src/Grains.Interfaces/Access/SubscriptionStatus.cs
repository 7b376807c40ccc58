namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record SubscriptionStatus(
    [property: Id(0)] string OrgName,
    [property: Id(1)] string Plan,
    [property: Id(2)] string Status,
    [property: Id(3)] long UsageCount,
    [property: Id(4)] long MonthlyLimit,
    [property: Id(5)] long RemainingCredits,
    [property: Id(6)] double UsagePercentage,
    [property: Id(7)] DateTimeOffset PeriodStart,
    [property: Id(8)] DateTimeOffset PeriodEnd,
    [property: Id(9)] int DaysUntilRenewal);
