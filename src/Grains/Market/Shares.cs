namespace Actors.Grains.Market;

/// <summary>Cents each party gets from a job's escrow; they sum to what was paid out.</summary>
public sealed record Shares(long Worker, long Platform, long Referrer, long Buyer)
{
    public long Total => Worker + Platform + Referrer + Buyer;
}
