namespace Actors.Grains.Platform;

/// <summary>Readiness probe: answers when a silo is reachable and activating grains, and (<see cref="Ready"/>) storage with it.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>The probe has one key.</summary>
    const string Key = "ping";

    [ReadOnly]
    Task<DateTimeOffset> Ping();

    /// <summary>One cheap query: throws <see cref="StorageUnavailableException"/> while the database is unreachable.</summary>
    [ReadOnly]
    Task Ready();
}
