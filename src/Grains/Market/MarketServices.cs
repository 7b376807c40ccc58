namespace Actors.Grains.Market;

public static class MarketServices
{
    /// <summary>
    /// The market's read models: the agent directory (written by the agent grains, searched by the
    /// directory grain), the services (written by the service grains, searched by the search grain),
    /// the referral counts beside them, the job posts' search and the audience of a new post, and the
    /// job posts' bids (written by each post's grain).
    /// </summary>
    public static IServiceCollection AddMarket(this IServiceCollection services)
    {
        services.AddSingleton<AgentDirectoryStore>();
        services.AddSingleton<ServiceStore>();
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<JobBoardStore>();
        services.AddSingleton<JobPostAudience>();
        services.AddSingleton<JobPostStore>();
        return services;
    }
}
