namespace Actors.Grains.Subscriptions;

/// <summary>Settings of the subscriptions' schedule (section <c>Subscriptions</c>).</summary>
public sealed class SubscriptionOptions
{
    /// <summary>
    /// How long one hour of <c>runIntervalHours</c> lasts. One hour, except in a load test that
    /// compresses the schedule (bench/: 10,000 hourly subscriptions run every two minutes). Billing
    /// months are calendar months whatever this is.
    /// </summary>
    public TimeSpan HourLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often each silo's sweep looks in <c>market_subscriptions</c> for subscriptions whose due
    /// time passed without a reminder having woken them (a silo down across it, a lost reminder),
    /// and wakes them. Zero turns the sweep off.
    /// </summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long past its due time a subscription is left to its reminder before the sweep wakes it.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most subscriptions one sweep wakes (the most overdue first); the next sweep takes the rest.</summary>
    public int SweepBatch { get; set; } = 1_000;

    /// <summary>Subscriptions the sweep wakes at once.</summary>
    public int SweepParallelism { get; set; } = 16;

    /// <summary>The shortest wait a subscription's reminder is set to (Orleans refuses periods under its minimum, 1 minute by default).</summary>
    public TimeSpan MinReminderWait { get; set; } = TimeSpan.FromMinutes(1);
}
