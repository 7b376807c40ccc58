using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class ServiceRegistryGrain : Grain, IServiceRegistryGrain
{
    public Task<Result<ServiceListing>> Create(string agentId, ServiceFields fields) =>
        GrainFactory.GetGrain<IServiceGrain>(RandomToken.Id("svc")).Create(agentId, fields);
}
