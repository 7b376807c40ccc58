namespace Actors.Grains.Common;

/// <summary>Readiness probe: answers when a silo is reachable and activating grains.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<DateTimeOffset> Ping();
}
