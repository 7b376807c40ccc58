using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Subscriptions;

public static class SubscriptionServices
{
    /// <summary>The subscriptions' settings (section <c>Subscriptions</c>), their store and the sweep that wakes overdue ones.</summary>
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SubscriptionOptions>(config.GetSection("Subscriptions"));
        services.AddSingleton<SubscriptionStore>();
        services.AddHostedService<SubscriptionSweep>();
        return services;
    }
}
