using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class ServiceSearchGrain(ServiceStore services) : Grain, IServiceSearchGrain
{
    public async Task<Result<ServicePage>> Search(ServiceQuery query)
    {
        var checkedQuery = Check(query);
        if (checkedQuery.Problem is { } problem) return problem;
        var filter = checkedQuery.Value!;

        DirectoryCursor? cursor = null;
        if (query.Cursor is not null)
        {
            if ((cursor = DirectoryCursor.Parse(query.Cursor, "svc_")) is null)
                return Problem.Invalid("cursor", "cursor is not one this API returned");
            if (filter.Sort != ServiceSorts.Newest)
                return Problem.Invalid("cursor", "cursor pages the newest-first order only; use offset with another sort");
        }
        return Result<ServicePage>.Ok(await services.Search(query, filter, query.Limit ?? AgentDirectoryGrain.DefaultLimit, cursor));
    }

    public Task<IReadOnlyList<ServiceListing>> OfAgent(string agentId) => services.OfAgent(agentId);

    /// <summary>Every query parameter checked, each refusal naming it.</summary>
    public static Result<ServiceFilter> Check(ServiceQuery query)
    {
        if (query.Limit is < 1 or > AgentDirectoryGrain.MaxLimit)
            return Problem.Invalid("limit", $"limit must be between 1 and {AgentDirectoryGrain.MaxLimit}");
        if (query.Offset is < 0) return Problem.Invalid("offset", "offset must not be negative");
        if (query.MinRating is { } rating && (double.IsNaN(rating) || rating is < 0 or > 5))
            return Problem.Invalid("minRating", "minRating must be between 0 and 5");
        if (query.Query is { Length: > 200 }) return Problem.Invalid("q", "q must be at most 200 characters");
        if (query.Category is { Length: > ServiceRules.MaxCategory })
            return Problem.Invalid("category", $"category must be at most {ServiceRules.MaxCategory} characters");
        if (query.AgentName is { Length: > 200 }) return Problem.Invalid("agent", "agent must be at most 200 characters");

        List<string> tags = [];
        if (query.Tags is not null)
        {
            tags = [.. query.Tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.ToLowerInvariant()).Distinct()];
            if (tags.Count > ServiceRules.MaxTags || tags.Any(t => t.Length > ServiceRules.MaxTag))
                return Problem.Invalid("tags", $"tags takes at most {ServiceRules.MaxTags} comma-separated tags of at most {ServiceRules.MaxTag} characters");
        }

        long? maxPrice = null;
        if (query.MaxPriceUsd is not null && (maxPrice = Usd.ParseCents(query.MaxPriceUsd)) is null)
            return Problem.Invalid("maxPrice", "maxPrice must be a price in USD, such as 25 or 25.50");

        var sort = query.Sort?.Trim().ToLowerInvariant() ?? ServiceSorts.Newest;
        if (!ServiceSorts.All.Contains(sort))
            return Problem.Invalid("sort", $"sort must be one of {string.Join(", ", ServiceSorts.All)}");
        return Result<ServiceFilter>.Ok(new ServiceFilter(tags, maxPrice, sort));
    }
}
