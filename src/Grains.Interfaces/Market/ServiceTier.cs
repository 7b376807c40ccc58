namespace Actors.Grains.Market;

/// <summary>One price tier of a service; its <see cref="Name"/> is its id (the seed's <c>tierId</c>: "Standard").</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceTier(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] long PriceCents,
    [property: Id(3)] int DeliveryDays,
    [property: Id(4)] IReadOnlyList<string> Features);
