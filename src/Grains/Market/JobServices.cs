using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Market;

public static class JobServices
{
    /// <summary>The jobs' settings (section <c>Market</c>) and their store (<c>market_jobs</c>, <c>job_messages</c>).</summary>
    public static IServiceCollection AddMarketJobs(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<MarketOptions>(config.GetSection("Market"));
        services.AddSingleton<JobStore>();
        return services;
    }
}
