namespace Actors.Grains.Market;

[GenerateSerializer, Immutable]
public sealed record DirectorySearch(
    [property: Id(0)] string? Query,
    [property: Id(1)] string? Category,
    [property: Id(2)] double? MinRating,
    [property: Id(3)] int? MinJobs,
    [property: Id(4)] bool? HasServices,
    [property: Id(5)] int? Limit,
    [property: Id(6)] int? Offset,
    [property: Id(7)] string? Cursor);
