namespace Actors.Grains.Platform;

/// <summary>Readiness probe: answers when a silo is reachable and activating grains.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>The probe has one key.</summary>
    const string Key = "ping";

    [ReadOnly]
    Task<DateTimeOffset> Ping();
}
