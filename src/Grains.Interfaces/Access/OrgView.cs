namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record OrgView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Plan,
    [property: Id(3)] long MonthlyLimit);
