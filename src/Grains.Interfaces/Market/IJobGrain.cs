using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>One hired-service job (<c>job_…</c>): its lifecycle, its escrow, its messages.</summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// A checkout opened for this job was paid and its amount credited to the buyer's wallet:
    /// the job escrows its price from that wallet now. Idempotent (called again for the same
    /// checkout, or after the job was paid, it changes nothing).
    /// </summary>
    Task PaymentReceived(string checkoutId);

    /// <summary>
    /// Creates the job and escrows its price from the buyer's wallet, or, when the wallet is short,
    /// opens a deposit checkout for it. Called again for a job that exists (an Idempotency-Key retry),
    /// it answers that job and changes nothing but an unfinished payment step.
    /// </summary>
    Task<Result<HireOutcome>> Create(NewJob request);

    /// <summary>The job as one of its parties sees it (with its messages); null for anyone else.</summary>
    Task<JobView?> Get(string agentId);

    /// <summary>One step of the lifecycle (accept, start, deliver, complete, cancel, dispute).</summary>
    Task<Result<JobView>> Act(string agentId, JobChange change);

    Task<Result<IReadOnlyList<JobMessage>>> Messages(string agentId);

    Task<Result<JobMessage>> PostMessage(string agentId, string? content);

    /// <summary>The operator settles a dispute: release to the worker, refund the buyer, or split.</summary>
    Task<Result<JobView>> Resolve(JobResolution resolution);
}
