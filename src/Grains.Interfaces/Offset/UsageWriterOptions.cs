namespace Actors.Grains.Offset;

/// <summary>How usage reports reach <c>usage_events</c> (section <c>Offset:UsageWriter</c>); the silo and the API both follow it.</summary>
public sealed class UsageWriterOptions
{
    /// <summary>Where both processes read it: the silo as part of <c>Offset</c>, the API on its own.</summary>
    public const string Section = "Offset:UsageWriter";

    /// <summary><c>group</c> (default): concurrent reports share one INSERT; <c>single</c>: one row per transaction (the benchmark's baseline).</summary>
    public string Mode { get; set; } = "group";

    /// <summary>Reports travel and are written in batches (every mode but <c>single</c>).</summary>
    public bool Grouped => !string.Equals(Mode, "single", StringComparison.OrdinalIgnoreCase);

    /// <summary>Most events in one batch (one statement, one commit).</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// Batches in flight at once. One is the cheapest: while it commits, the next gathers, and a
    /// commit costs PostgreSQL about as much as inserting 25 rows, so bigger batches are cheaper per
    /// row (bench/README.md, Offset).
    /// </summary>
    public int Writers { get; set; } = 1;
}
