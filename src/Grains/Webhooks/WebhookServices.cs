using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

public static class WebhookServices
{
    /// <summary>
    /// The webhook outbox that every domain raising events writes to, and its delivery: the SSRF
    /// guard, the signed sender and the per-silo dispatcher (settings in section <c>Webhooks</c>).
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<WebhookOutbox>();
        services.Configure<WebhookOptions>(config.GetSection("Webhooks"));
        services.AddSingleton(sp => new SsrfGuard(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
