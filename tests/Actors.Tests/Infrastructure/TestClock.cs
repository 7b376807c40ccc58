namespace Actors.Tests.Infrastructure;

/// <summary>
/// The silo's clock in tests: real time plus an offset that tests move forward, so expiries
/// (days, minutes) can be crossed without waiting while timers and Orleans itself keep running.
/// </summary>
public sealed class TestClock : TimeProvider
{
    long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
