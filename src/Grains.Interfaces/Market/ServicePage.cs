namespace Actors.Grains.Market;

[GenerateSerializer, Immutable]
public sealed record ServicePage(
    [property: Id(0)] IReadOnlyList<ServiceHit> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Limit,
    [property: Id(3)] int Offset,
    [property: Id(4)] bool HasMore,
    [property: Id(5)] string? NextCursor);
