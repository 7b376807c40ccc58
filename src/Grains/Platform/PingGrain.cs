
namespace Actors.Grains.Platform;

[StatelessWorker, Reentrant]
public sealed class PingGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IPingGrain
{
    public Task<DateTimeOffset> Ping() => Task.FromResult(clock.GetUtcNow());
}
