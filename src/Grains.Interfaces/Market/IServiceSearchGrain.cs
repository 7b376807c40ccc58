using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>Read-side search over the services read model (stateless worker).</summary>
public interface IServiceSearchGrain : IGrainWithStringKey
{
    /// <summary>The search has one key.</summary>
    const string Key = "services";

    /// <summary>Active services matching every filter given; bad filters are a problem naming the parameter.</summary>
    [ReadOnly]
    Task<Result<ServicePage>> Search(ServiceQuery query);

    /// <summary>An agent's services, inactive ones included, deleted ones not; oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ServiceListing>> OfAgent(string agentId);
}
