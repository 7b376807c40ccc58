using System.Collections.Concurrent;

namespace Actors.Bench.MarketLoad;

/// <summary>
/// Latencies and failures per request type, only for answers that arrive inside the measured
/// window. One recorder per connection (no locks on the hot path); merged at the end.
/// </summary>
public sealed class Recorder(Window window)
{
    readonly Dictionary<string, List<long>> _micros = new(StringComparer.Ordinal);
    readonly Dictionary<string, Dictionary<string, int>> _failures = new(StringComparer.Ordinal);
    public int Lifecycles { get; private set; }

    /// <summary>Records the answer; false when it failed (the caller abandons its lifecycle).</summary>
    public bool Note(string type, Answer answer, bool ok, ConcurrentQueue<string> samples)
    {
        if (!window.Contains(Environment.TickCount64)) return ok;
        if (!_micros.TryGetValue(type, out var list)) _micros[type] = list = new List<long>(8192);
        list.Add(answer.Micros);
        if (!ok)
        {
            if (!_failures.TryGetValue(type, out var byStatus)) _failures[type] = byStatus = [];
            var status = answer.Status == 0 ? "no response" : answer.Status.ToString();
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            if (samples.Count < 20) samples.Enqueue($"{type}: {Truncate(answer.Describe(), 300)}");
        }
        return ok;
    }

    public void LifecycleDone()
    {
        if (window.Contains(Environment.TickCount64)) Lifecycles++;
    }

    public static Summary Merge(IEnumerable<Recorder> recorders, IReadOnlyList<string> order)
    {
        var all = recorders.ToList();
        var types = new List<TypeSummary>();
        foreach (var type in order.Concat(all.SelectMany(r => r._micros.Keys)).Distinct())
        {
            var micros = all.SelectMany(r => r._micros.GetValueOrDefault(type) ?? []).Order().ToArray();
            if (micros.Length == 0) continue;
            var failures = new Dictionary<string, int>();
            foreach (var r in all)
                foreach (var (status, n) in r._failures.GetValueOrDefault(type) ?? [])
                    failures[status] = failures.GetValueOrDefault(status) + n;
            types.Add(new TypeSummary(type, micros.Length, failures.Values.Sum(), failures,
                Percentile(micros, 50), Percentile(micros, 90), Percentile(micros, 99), micros[^1] / 1000.0));
        }
        return new Summary(types, all.Sum(r => r.Lifecycles));
    }

    static double Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)] / 1000.0;

    static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}

/// <summary>The measured window, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
public sealed class Window
{
    public long Start { get; set; } = long.MaxValue;
    public long End { get; set; } = long.MaxValue;

    public bool Contains(long now) => now >= Start && now < End;
}

public sealed record TypeSummary(string Type, int Requests, int Failed, Dictionary<string, int> FailuresByStatus,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs);

public sealed record Summary(IReadOnlyList<TypeSummary> Types, int Lifecycles)
{
    public int Requests => Types.Sum(t => t.Requests);
    public int Failed => Types.Sum(t => t.Failed);
}
