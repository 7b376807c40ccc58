namespace Actors.Grains.DirectMessages;

public static class DirectMessageServices
{
    /// <summary>The DMs' store (<c>dm_messages</c>, <c>dm_conversations</c>).</summary>
    public static IServiceCollection AddDirectMessages(this IServiceCollection services)
    {
        services.AddSingleton<DirectMessageStore>();
        return services;
    }
}
