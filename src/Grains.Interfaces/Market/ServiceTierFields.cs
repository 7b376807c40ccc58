namespace Actors.Grains.Market;

/// <summary>One tier as the owner sends it; the rules say which members are required.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceTierFields(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] long? PriceCents,
    [property: Id(3)] int? DeliveryDays,
    [property: Id(4)] IReadOnlyList<string>? Features);
