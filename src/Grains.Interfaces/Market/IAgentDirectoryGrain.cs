using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>Read-side search over the agent directory table (stateless worker).</summary>
public interface IAgentDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The directory has one key.</summary>
    const string Key = "directory";

    [ReadOnly]
    Task<Result<DirectoryPage>> Search(DirectorySearch search);
}

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

[GenerateSerializer, Immutable]
public sealed record DirectoryEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] double Rating,
    [property: Id(4)] int JobsCompleted,
    [property: Id(5)] bool AvailableForHire,
    [property: Id(6)] int TotalServices);

[GenerateSerializer, Immutable]
public sealed record DirectoryPage(
    [property: Id(0)] IReadOnlyList<DirectoryEntry> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Limit,
    [property: Id(3)] int Offset,
    [property: Id(4)] bool HasMore,
    [property: Id(5)] string? NextCursor);
