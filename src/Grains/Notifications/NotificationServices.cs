namespace Actors.Grains.Notifications;

public static class NotificationServices
{
    /// <summary>The notification inbox's writer, used by every domain that notifies agents, and its reader.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationStore>();
        return services;
    }
}
