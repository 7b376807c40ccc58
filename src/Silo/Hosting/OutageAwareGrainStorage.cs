using Actors.Grains.Platform;
using Orleans.Storage;

namespace Actors.Silo.Hosting;

/// <summary>
/// The grain storage provider with its outages as <see cref="StorageUnavailableException"/>. State is
/// also read while a grain activates, before any call filter runs: without this a refused
/// connection there reaches the caller as the driver's exception, which has no codec (a 500).
/// </summary>
public sealed class OutageAwareGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(inner.ClearStateAsync(stateName, grainId, grainState));

    // The ADO.NET provider joins the silo's lifecycle (it initialises its queries at start).
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    static async Task Translated(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (StorageFailures.Unavailable(e) is { } unavailable && !ReferenceEquals(unavailable, e))
        {
            throw unavailable;
        }
    }

    /// <summary>Wraps the grain storage provider registered as <paramref name="name"/>.</summary>
    public static void Decorate(IServiceCollection services, string name)
    {
        var original = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new OutageAwareGrainStorage(
            original.KeyedImplementationInstance as IGrainStorage
            ?? original.KeyedImplementationFactory?.Invoke(provider, key) as IGrainStorage
            ?? (IGrainStorage)ActivatorUtilities.CreateInstance(provider, original.KeyedImplementationType!)));
    }
}
