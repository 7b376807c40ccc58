using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class AgentDirectoryGrain(AgentDirectoryStore directory) : Grain, IAgentDirectoryGrain
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public async Task<Result<DirectoryPage>> Search(DirectorySearch search)
    {
        if (search.Limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}");
        if (search.Offset is < 0) return Problem.Invalid("offset", "offset must not be negative");
        if (search.MinRating is < 0 or > 5) return Problem.Invalid("minRating", "minRating must be between 0 and 5");
        if (search.MinJobs is < 0) return Problem.Invalid("minJobs", "minJobs must not be negative");
        if (search.Query is { Length: > 200 }) return Problem.Invalid("q", "q must be at most 200 characters");
        if (search.Category is { Length: > 100 }) return Problem.Invalid("category", "category must be at most 100 characters");

        DirectoryCursor? cursor = null;
        if (search.Cursor is not null && (cursor = DirectoryCursor.Parse(search.Cursor)) is null)
            return Problem.Invalid("cursor", "cursor is not one this API returned");

        return Result<DirectoryPage>.Ok(await directory.Search(search, search.Limit ?? DefaultLimit, cursor));
    }
}
