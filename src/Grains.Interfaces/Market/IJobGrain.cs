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
}
