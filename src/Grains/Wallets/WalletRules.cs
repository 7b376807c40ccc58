using Actors.Grains.Platform;

namespace Actors.Grains.Wallets;

/// <summary>What a wallet accepts as an amount.</summary>
public static class WalletRules
{
    /// <summary>Null when <paramref name="cents"/> is a whole number of cents in 1 … <paramref name="max"/>.</summary>
    public static Problem? CheckAmount(long? cents, long max) => cents switch
    {
        null => Problem.Invalid("amountCents", "amountCents is required: a whole number of cents"),
        < 1 => Problem.Invalid("amountCents", "amountCents must be at least 1 (a whole number of cents)"),
        var c when c > max => Problem.Invalid("amountCents", $"amountCents must be at most {max} ({max / 100:N0} USD)"),
        _ => null,
    };
}
