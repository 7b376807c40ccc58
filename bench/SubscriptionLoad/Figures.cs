using Npgsql;
using NpgsqlTypes;

namespace Actors.Bench.SubscriptionLoad;

/// <summary>Slot k of every subscription (its k-th run, due at created_at + k × interval): how many have one run, none, more.</summary>
public sealed record Round(int Slot, int Subscriptions, int WithOne, int WithNone, int WithMore, Lags Lag);

/// <summary>A lag distribution, milliseconds from scheduled_at to started_at.</summary>
public sealed record Lags(int Count, double P50, double P90, double P99, double P999, double Max, int Over1s, int Over10s)
{
    public static Lags Of(IEnumerable<double> millis)
    {
        var sorted = millis.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Lags(sorted.Length, At(50), At(90), At(99), At(99.9), At(100), sorted.Count(m => m > 1_000), sorted.Count(m => m > 10_000));
    }
}

/// <summary>
/// What PostgreSQL holds at the end, for the acknowledged subscriptions: per slot, one run each;
/// runs off the slot grid; the lag; the runs left open on purpose closed as MISSED by the next slot's
/// run; the reported ones COMPLETED; the subscriptions' statuses; the runs started in the window.
/// </summary>
public sealed record Figures(IReadOnlyList<Round> Rounds, Lags Lag, int OffGrid, int LaterSlots, Dictionary<string, int> Statuses,
    int LeftOpenWithNext, int MissedAsExpected, int LeftOpenStillRunning, int ReportedCompleted, int Reported, int MissedOther,
    long RunsInWindow, Dictionary<string, int> RunStatuses)
{
    public bool Sound => Rounds.All(r => r.WithNone == 0 && r.WithMore == 0) && OffGrid == 0
        && MissedAsExpected == LeftOpenWithNext && ReportedCompleted == Reported && MissedOther == 0
        && Statuses.Keys.All(s => s == "ACTIVE");

    public static async Task<Figures> Read(NpgsqlDataSource db, Subscribed subscribed, Observed observed, Options o)
    {
        var ids = subscribed.Created.Select(s => s.Id).ToArray();
        var created = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var runs = new List<(string Sub, string Id, string Status, string? Error, DateTimeOffset Scheduled, DateTimeOffset Started)>();
        await using (var cmd = db.CreateCommand("""
            SELECT s.subscription_id, s.created_at, s.status, r.run_id, r.status, r.error, r.scheduled_at, r.started_at
            FROM market_subscriptions s LEFT JOIN subscription_runs r ON r.subscription_id = s.subscription_id
            WHERE s.subscription_id = ANY(@ids)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var sub = reader.GetString(0);
                if (created.TryAdd(sub, reader.GetFieldValue<DateTimeOffset>(1)))
                    statuses[reader.GetString(2)] = statuses.GetValueOrDefault(reader.GetString(2)) + 1;
                if (reader.IsDBNull(3)) continue;
                runs.Add((sub, reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        // Each run's slot: k with scheduled_at = created_at + k × interval (within a millisecond: the
        // database keeps microseconds, .NET ticks).
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var offGrid = 0;
        foreach (var r in runs)
        {
            var k = (r.Scheduled - created[r.Sub]) / o.Interval;
            var slot = (int)Math.Round(k);
            if (slot < 1 || Math.Abs((r.Scheduled - (created[r.Sub] + o.Interval * slot)).TotalMilliseconds) > 1) offGrid++;
            else slotOf[r.Id] = slot;
        }
        var bySlot = runs.Where(r => slotOf.ContainsKey(r.Id)).ToLookup(r => (r.Sub, Slot: slotOf[r.Id]));
        var rounds = new List<Round>();
        for (var k = 1; k <= o.Rounds; k++)
        {
            int one = 0, none = 0, more = 0;
            foreach (var sub in created.Keys)
            {
                var n = bySlot[(sub, k)].Count();
                if (n == 1) one++; else if (n == 0) none++; else more++;
            }
            var slot = k;
            rounds.Add(new Round(k, created.Count, one, none, more,
                Lags.Of(runs.Where(r => slotOf.GetValueOrDefault(r.Id) == slot).Select(r => (r.Started - r.Scheduled).TotalMilliseconds))));
        }
        var measured = runs.Where(r => slotOf.GetValueOrDefault(r.Id) is >= 1 and var s && s <= o.Rounds).ToList();

        // A run left open is closed MISSED when its subscription's next run is created.
        var lastSlot = runs.Where(r => slotOf.ContainsKey(r.Id)).GroupBy(r => r.Sub).ToDictionary(g => g.Key, g => g.Max(r => slotOf[r.Id]), StringComparer.Ordinal);
        int withNext = 0, missedAsExpected = 0, stillRunning = 0, reportedCompleted = 0, missedOther = 0;
        foreach (var r in runs)
        {
            var isMissed = r is { Status: "FAILED", Error: "MISSED" };
            if (observed.LeftOpen.Contains(r.Id))
            {
                if (slotOf.TryGetValue(r.Id, out var slot) && lastSlot[r.Sub] > slot)
                {
                    withNext++;
                    if (isMissed) missedAsExpected++;
                }
                else if (r.Status == "RUNNING") stillRunning++;
            }
            else if (observed.Reported.Contains(r.Id)) { if (r.Status == "COMPLETED") reportedCompleted++; }
            else if (isMissed) missedOther++;
        }
        return new Figures(rounds, Lags.Of(measured.Select(r => (r.Started - r.Scheduled).TotalMilliseconds)), offGrid,
            runs.Count(r => slotOf.GetValueOrDefault(r.Id) > o.Rounds), statuses,
            withNext, missedAsExpected, stillRunning, reportedCompleted, observed.Reported.Count, missedOther,
            runs.LongCount(r => r.Started >= observed.Start && r.Started <= observed.End),
            runs.GroupBy(r => r.Error == "MISSED" ? "MISSED" : r.Status).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }
}
