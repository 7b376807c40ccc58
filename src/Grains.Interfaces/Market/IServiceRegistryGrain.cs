using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>Where services are created (stateless worker): it draws the new service's id.</summary>
public interface IServiceRegistryGrain : IGrainWithStringKey
{
    const string Key = "services";

    Task<Result<ServiceListing>> Create(string agentId, ServiceFields fields);
}
