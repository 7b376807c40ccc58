namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record NewOrg(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Plan,
    [property: Id(2)] long? MonthlyLimit);
