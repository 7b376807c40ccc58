namespace Actors.Grains.Email;

public static class EmailServices
{
    /// <summary>The email outbox the grains write to, and the dispatcher that delivers it (SMTP or the mail drop).</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddSingleton<EmailOutbox>();
        services.AddHostedService<MailDispatcher>();
        return services;
    }
}
