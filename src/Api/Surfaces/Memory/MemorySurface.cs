namespace Actors.Api.Surfaces.Memory;

/// <summary>The API's own settings for the memory surface (section <c>Memory</c>).</summary>
public sealed class MemoryApiOptions
{
    public const string Section = "Memory";

    /// <summary>Auto-registrations one address may make in an hour (the call needs no key, so the address is all there is).</summary>
    public int RegistrationsPerHourPerAddress { get; set; } = 60;
}

public static class MemorySurface
{
    /// <summary>What the memory routes (<see cref="MemoryEndpoints.MapMemory"/>) need.</summary>
    public static IHostApplicationBuilder AddMemory(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MemoryApiOptions>(builder.Configuration.GetSection(MemoryApiOptions.Section));
        return builder;
    }
}
