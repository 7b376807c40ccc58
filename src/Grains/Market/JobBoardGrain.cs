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
        var checkedQuery = Check(query);
        if (checkedQuery.Problem is { } problem) return problem;
        var filter = checkedQuery.Value!;
        var (rows, total) = await store.Search(filter, clock.GetUtcNow());

        // A row whose deadline has passed is asked of its grain, which catches up first (its pending
        // bids expire): the list never shows such a post as it was before. Bounded by the page.
        var posts = await Task.WhenAll(rows.Select(async row =>
        {
            if (!row.Stale) return row.View;
            var fresh = await GrainFactory.GetGrain<IJobPostGrain>(row.View.Id).Get();
            return fresh is null ? row.View with { Status = JobPostStatus.Closed } : fresh with { PosterRating = row.View.PosterRating };
        }));
        return Result<JobPostPage>.Ok(new JobPostPage(posts, total, filter.Limit, filter.Offset));
    }

    /// <summary>Every query parameter checked, each refusal naming it; defaults filled in.</summary>
    public static Result<JobPostFilter> Check(JobPostQuery query)
    {
        var status = query.Status?.Trim().ToUpperInvariant() ?? JobPostStatus.Open;
        if (!JobPostStatus.All.Contains(status))
            return Problem.Invalid("status", "status must be one of " + string.Join(", ", JobPostStatus.All));
        if (Paging.Check(query.Limit, query.Offset, MaxLimit, MaxOffset) is { } page) return page;
        if (query.Q is { Length: > MaxQuery }) return Problem.Invalid("q", $"q must be at most {MaxQuery} characters");
        if (query.Category is { Length: > JobPostRules.MaxCategory })
            return Problem.Invalid("category", $"category must be at most {JobPostRules.MaxCategory} characters");
        List<string> tags = [.. (query.Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct()];
        // A post keeps at most as many tags, each as long, as JobPostRules allows: more could match nothing.
        if (tags.Count > JobPostRules.MaxTags || tags.Any(t => t.Length > JobPostRules.MaxTag))
            return Problem.Invalid("tags", $"tags takes at most {JobPostRules.MaxTags} comma-separated tags of at most {JobPostRules.MaxTag} characters");
        var q = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        var category = string.IsNullOrWhiteSpace(query.Category) ? null : query.Category.Trim().ToLowerInvariant();
        return Result<JobPostFilter>.Ok(new JobPostFilter(q, category, tags, status, query.Limit ?? DefaultLimit, query.Offset ?? 0));
    }
}
