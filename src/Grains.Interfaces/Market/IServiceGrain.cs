namespace Actors.Grains.Market;

/// <summary>One service listing (<c>svc_…</c>), written only by its owning agent.</summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>The listing, deleted ones included (their jobs keep them); null when it never existed.</summary>
    [ReadOnly]
    Task<ServiceListing?> GetListing();
}
