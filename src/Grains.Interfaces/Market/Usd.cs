using System.Globalization;

namespace Actors.Grains.Market;

/// <summary>Dollars as the market shows and takes them; money itself is always integer cents.</summary>
public static class Usd
{
    /// <summary>The largest price filter taken, in dollars (far above any price a service can have).</summary>
    public const decimal MaxAmount = 100_000_000m;

    /// <summary>2500 → "25.00", the seed's <c>priceUsd</c>.</summary>
    public static string Format(long cents) =>
        (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// "25", "25.5", "25.00" → cents; null for anything else (signs, exponents, more than two
    /// decimals, thousands separators, amounts above <see cref="MaxAmount"/>).
    /// </summary>
    public static long? ParseCents(string? dollars)
    {
        if (dollars is null) return null;
        var text = dollars.Trim();
        if (text.Length is 0 or > 20) return null;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return null;
        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 > 2) return null;
        if (amount > MaxAmount) return null;
        return (long)(amount * 100m);
    }
}
