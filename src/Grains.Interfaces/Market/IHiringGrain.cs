using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// Stateless front of the jobs: names a new job (from the Idempotency-Key when there is one, so a
/// retry reaches the same job) and lists an agent's jobs from the <c>market_jobs</c> read model.
/// </summary>
public interface IHiringGrain : IGrainWithStringKey
{
    const string Key = "hiring";

    Task<Result<HireOutcome>> Hire(NewJob request);

    Task<Result<IReadOnlyList<JobView>>> List(JobQuery query);
}
