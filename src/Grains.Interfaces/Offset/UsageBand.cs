namespace Actors.Grains.Offset;

/// <summary>One preset usage band (monthly tokens → monthly offset amount in cents).</summary>
[GenerateSerializer, Immutable]
public sealed record UsageBand(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long MinMonthlyTokens,
    [property: Id(3)] long? MaxMonthlyTokens,
    [property: Id(4)] long MonthlyAmountCents,
    [property: Id(5)] string Description);
