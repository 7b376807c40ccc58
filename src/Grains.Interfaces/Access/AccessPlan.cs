namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record AccessPlan(
    [property: Id(0)] string Name,
    [property: Id(1)] long MonthlyCredits,
    [property: Id(2)] long PriceCents);
