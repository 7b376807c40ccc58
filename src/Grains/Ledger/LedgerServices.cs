using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Ledger;

public static class LedgerServices
{
    /// <summary>The ledger's store and its group commit, one per silo (section <c>Ledger</c>).</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<LedgerStore>();
        services.Configure<LedgerOptions>(config.GetSection("Ledger"));
        services.AddSingleton<LedgerGroupCommit>();
        return services;
    }
}
