using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class JobBoardGrain(JobBoardStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IJobBoardGrain
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxOffset = 100_000;
    public const int MaxQuery = 200;
    public const int MaxTags = 10;
    public const int MaxTag = 64;
    public const int MaxCategory = 64;

    public Task<Result<JobPostView>> Post(NewJobPost post)
    {
        // With an Idempotency-Key the post's id is derived from it: a retry whose first answer was
        // lost reaches the same post, which is created (and announced) once.
        var postId = post.RequestKey is { } key
            ? "jp_" + SecretHash.Of($"{post.PosterId}\n{key}")[..32]
            : RandomToken.Id("jp");
        return GrainFactory.GetGrain<IJobPostGrain>(postId).Create(post);
    }

    public async Task<Result<JobPostPage>> Search(JobPostQuery query)
    {
        var status = query.Status?.Trim().ToUpperInvariant() ?? JobPostStatus.Open;
        if (!JobPostStatus.All.Contains(status))
            return Problem.Invalid("status", "status must be one of " + string.Join(", ", JobPostStatus.All));
        if (query.Limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}");
        if (query.Offset is < 0 or > MaxOffset) return Problem.Invalid("offset", $"offset must be between 0 and {MaxOffset}");
        if (query.Q is { Length: > MaxQuery }) return Problem.Invalid("q", $"q must be at most {MaxQuery} characters");
        if (query.Category is { Length: > MaxCategory }) return Problem.Invalid("category", $"category must be at most {MaxCategory} characters");
        List<string> tags = [.. (query.Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct()];
        if (tags.Count > MaxTags || tags.Any(t => t.Length > MaxTag))
            return Problem.Invalid("tags", $"tags takes at most {MaxTags} comma-separated tags of at most {MaxTag} characters");

        var limit = query.Limit ?? DefaultLimit;
        var offset = query.Offset ?? 0;
        var (rows, total) = await store.Search(query.Q, query.Category, tags, status, limit, offset, clock.GetUtcNow());

        // A row whose deadline has passed is asked of its grain, which catches up first (its pending
        // bids expire): the list never shows such a post as it was before. Bounded by the page.
        var posts = await Task.WhenAll(rows.Select(async row =>
        {
            if (!row.Stale) return row.View;
            var fresh = await GrainFactory.GetGrain<IJobPostGrain>(row.View.Id).Get();
            return fresh is null ? row.View with { Status = JobPostStatus.Closed } : fresh with { PosterRating = row.View.PosterRating };
        }));
        return Result<JobPostPage>.Ok(new JobPostPage(posts, total, limit, offset));
    }
}
