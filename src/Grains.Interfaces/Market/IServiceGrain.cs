using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>One service listing (<c>svc_…</c>), written only by its owning agent.</summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>The listing, deleted ones included (their jobs keep them); null when it never existed.</summary>
    [ReadOnly]
    Task<ServiceListing?> GetListing();

    /// <summary>Lists the service for <paramref name="agentId"/>; a missing member takes its default.</summary>
    Task<Result<ServiceListing>> Create(string agentId, ServiceFields fields);

    /// <summary>The owner's partial change: a null member is left as it is. Another agent: forbidden.</summary>
    Task<Result<ServiceListing>> Update(string agentId, ServiceFields changes);

    /// <summary>Takes the service off the market for good; the listing stays for its jobs.</summary>
    Task<Result<ServiceListing>> Delete(string agentId);
}
