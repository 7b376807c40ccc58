using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// Stateless front of the job posts: names a new post (from the Idempotency-Key when there is one,
/// so a retry reaches the same post) and searches the <c>market_job_posts</c> read model.
/// </summary>
public interface IJobBoardGrain : IGrainWithStringKey
{
    const string Key = "job-board";

    Task<Result<JobPostView>> Post(NewJobPost post);

    Task<Result<JobPostPage>> Search(JobPostQuery query);
}
