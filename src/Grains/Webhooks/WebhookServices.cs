namespace Actors.Grains.Webhooks;

public static class WebhookServices
{
    /// <summary>The webhook outbox that every domain raising events writes to.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookOutbox>();
        return services;
    }
}
