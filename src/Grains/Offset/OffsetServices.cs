using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Offset;

public static class OffsetServices
{
    /// <summary>The offset surface's settings (section <c>Offset</c>), its usage events' store and writer, and the provider keys' encryption.</summary>
    public static IServiceCollection AddOffset(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OffsetOptions>(config.GetSection("Offset"));
        services.AddSingleton<UsageEventStore>();
        services.AddSingleton<UsageEventWriter>();
        services.AddSingleton<ProviderKeys>();
        return services;
    }
}
