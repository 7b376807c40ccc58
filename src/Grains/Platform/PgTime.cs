namespace Actors.Grains.Platform;

public static class PgTime
{
    /// <summary>
    /// A time in whole microseconds, as a timestamptz keeps it: a grain that computes with the times
    /// it stores finds the same values (slots, due times, ids derived from them) in a reloaded row.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));
}
