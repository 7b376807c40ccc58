using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Memory;

public static class MemoryServices
{
    /// <summary>The memory surface's fingerprint key (section <c>Memory</c>, validated at start) and its store.</summary>
    public static IServiceCollection AddMemory(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<MemoryOptions>().Bind(config.GetSection("Memory"))
            .Validate(o => o.FingerprintKey is { Length: >= MachineFingerprint.MinKeyLength },
                $"Memory:FingerprintKey must be set to a secret of at least {MachineFingerprint.MinKeyLength} characters")
            .ValidateOnStart();
        services.AddSingleton<MachineFingerprint>();
        services.AddSingleton<MemoryStore>();
        return services;
    }
}
