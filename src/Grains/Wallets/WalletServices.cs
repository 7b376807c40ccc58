namespace Actors.Grains.Wallets;

public static class WalletServices
{
    /// <summary>The wallets' history reader (their money is the ledger's, registered by <c>AddLedger</c>).</summary>
    public static IServiceCollection AddWallets(this IServiceCollection services)
    {
        services.AddSingleton<WalletStore>();
        return services;
    }
}
