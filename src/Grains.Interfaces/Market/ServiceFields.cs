namespace Actors.Grains.Market;

/// <summary>
/// A service as its owner sends it. On create a missing member takes its default (type
/// <c>ONE_TIME</c>, active); on update a null member is left as it is and <see cref="Tiers"/>,
/// when given, replaces every tier. <see cref="PriceCents"/> is the monthly price of a
/// subscription, or for a one-time service sent without tiers the price of its one tier.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceFields(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] string? Category = null,
    [property: Id(3)] IReadOnlyList<string>? Tags = null,
    [property: Id(4)] IReadOnlyList<ServiceTierFields>? Tiers = null,
    [property: Id(5)] string? Type = null,
    [property: Id(6)] long? PriceCents = null,
    [property: Id(7)] int? RunIntervalHours = null,
    [property: Id(8)] bool? Active = null);
