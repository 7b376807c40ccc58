namespace Actors.Grains.Market;

/// <summary>
/// Filters of the service search and browse. <see cref="Tags"/> is comma-separated (a service
/// must carry every one); <see cref="MaxPriceUsd"/> is dollars as sent ("25", "25.50");
/// <see cref="Sort"/> is newest (default), price-low, price-high or rating; a cursor pages the
/// newest-first order only.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceQuery(
    [property: Id(0)] string? Query = null,
    [property: Id(1)] string? Category = null,
    [property: Id(2)] string? Tags = null,
    [property: Id(3)] double? MinRating = null,
    [property: Id(4)] string? MaxPriceUsd = null,
    [property: Id(5)] string? AgentName = null,
    [property: Id(6)] string? Sort = null,
    [property: Id(7)] int? Limit = null,
    [property: Id(8)] int? Offset = null,
    [property: Id(9)] string? Cursor = null);
