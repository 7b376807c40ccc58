namespace Actors.Grains.Taskboard;

/// <summary>Settings of the taskboard (section <c>Taskboard</c>).</summary>
public sealed class TaskboardOptions
{
    /// <summary>How long a minted registration token can be used (once).</summary>
    public TimeSpan RegistrationTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The platform's fee on an approved task, in whole percent of the reward (as the market's, rounded down to the cent).</summary>
    public int PlatformFeePercent { get; set; } = 10;

    /// <summary>A SUBMITTED task the client neither approves, sends back nor rejects is approved this long after delivery.</summary>
    public TimeSpan ReviewPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long one board activation answers the same poll from memory.</summary>
    public TimeSpan PollCacheFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each silo's sweep wakes tasks whose lease or review passed without their reminder (zero: off).</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long past its due time a task is left to its reminder before the sweep wakes it.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    public int SweepBatch { get; set; } = 1_000;

    public int SweepParallelism { get; set; } = 16;

    /// <summary>The shortest wait a task's reminder is set to (Orleans refuses periods under its minimum).</summary>
    public TimeSpan MinReminderWait { get; set; } = TimeSpan.FromMinutes(1);
}
