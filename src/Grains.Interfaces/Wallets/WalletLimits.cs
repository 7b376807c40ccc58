using Actors.Grains.Platform;

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

    /// <summary>Null when <paramref name="cents"/> is a whole number of cents in 1 … <paramref name="max"/>.</summary>
    public static Problem? CheckAmount(long? cents, long max) => cents switch
    {
        null => Problem.Invalid("amountCents", "amountCents is required: a whole number of cents"),
        < 1 => Problem.Invalid("amountCents", "amountCents must be at least 1 (a whole number of cents)"),
        var c when c > max => Problem.Invalid("amountCents", $"amountCents must be at most {max} ({max / 100:N0} USD)"),
        _ => null,
    };
}
