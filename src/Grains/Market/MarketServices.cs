namespace Actors.Grains.Market;

public static class MarketServices
{
    /// <summary>The agent directory's read model, written by the agent grains and searched by the directory grain.</summary>
    public static IServiceCollection AddMarket(this IServiceCollection services)
    {
        services.AddSingleton<AgentDirectoryStore>();
        return services;
    }
}
