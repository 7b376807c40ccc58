using System.Globalization;

namespace Actors.Grains.Taskboard;

/// <summary>The taskboard's money: USDC amounts with up to 2 decimals, kept as integer cents on the ledger (100 → 10000).</summary>
public static class Usdc
{
    public const string Token = "USDC";

    /// <summary>The largest reward or deposit taken, in USDC.</summary>
    public const decimal MaxAmount = 1_000_000m;

    /// <summary>100 → 10000; null when not positive, above <see cref="MaxAmount"/>, or with more than 2 decimals.</summary>
    public static long? ToCents(decimal? amount)
    {
        if (amount is not { } a || a <= 0 || a > MaxAmount) return null;
        var cents = a * 100m;
        return cents == decimal.Truncate(cents) ? (long)cents : null;
    }

    /// <summary>What a refused amount in <paramref name="field"/> is told (the one wording for rewards and deposits).</summary>
    public static string Refusal(string field) => $"{field} must be a positive USDC amount with at most 2 decimals, up to {MaxAmount:0}";

    /// <summary>10000 → 100, 1250 → 12.5 (what the seed's <c>reward.amount</c> shows).</summary>
    public static decimal FromCents(long cents) => cents / 100m;

    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
