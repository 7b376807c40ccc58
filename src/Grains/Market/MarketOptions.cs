namespace Actors.Grains.Market;

/// <summary>Settings of the market's jobs and their money (section <c>Market</c>).</summary>
public sealed class MarketOptions
{
    /// <summary>The platform's fee on a released job, in whole percent of the price (rounded down to the cent).</summary>
    public int PlatformFeePercent { get; set; } = 10;

    /// <summary>What the worker's referrer earns, in whole percent of the price, paid out of the platform's fee (never more than the fee).</summary>
    public int ReferralPercent { get; set; } = 5;

    /// <summary>A delivered job the buyer neither completes nor disputes completes itself this long after delivery.</summary>
    public TimeSpan AutoCompleteAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A job whose checkout is not paid is cancelled this long after it was requested.</summary>
    public TimeSpan UnpaidCancelAfter { get; set; } = TimeSpan.FromHours(24);
}
