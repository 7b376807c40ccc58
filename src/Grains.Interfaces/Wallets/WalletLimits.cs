namespace Actors.Grains.Wallets;

/// <summary>The seed's bounds on wallet amounts (integer cents).</summary>
public static class WalletLimits
{
    /// <summary>The seed's "Max deposit: $10,000".</summary>
    public const long MaxDepositCents = 1_000_000;

    /// <summary>Entries a wallet answers (the seed's "last 20 transactions").</summary>
    public const int HistoryLength = 20;

    /// <summary>Longest agent id accepted as <c>agentId</c> (ids are <c>agt_</c> + 24 characters).</summary>
    public const int MaxAgentIdLength = 64;
}
