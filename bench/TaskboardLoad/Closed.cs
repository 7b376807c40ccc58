using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

/// <summary>One measured stretch: the answers that arrived inside it, its wall time and the CPU at its two ends.</summary>
public sealed record Stretch(Recorder[] Recorders, CpuSnapshot Before, CpuSnapshot After, double Seconds);

/// <summary>The stretches of one scenario added up: latencies together, time and CPU summed.</summary>
public sealed class Scenario(string name, string type)
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public List<Stretch> Stretches { get; } = [];
    public ConcurrentQueue<string> Samples { get; } = new();

    public TypeSummary? Latency => Recorder.Merge(Stretches.SelectMany(s => s.Recorders), [Type]).Types.FirstOrDefault();
    public double Seconds => Stretches.Sum(s => s.Seconds);
    public int Requests => Latency?.Requests ?? 0;
    public double PerSecond => Seconds == 0 ? 0 : Requests / Seconds;
    public Cpu Cpu => Cpu.Sum(Stretches.Select(s => (s.Before, s.After)));
}

/// <summary>CPU seconds per process over some stretches (after − before, summed).</summary>
public sealed record Cpu(double Silo, double Api, double Postgres, double Generator, double Busy, double Total)
{
    public double Stack => Silo + Api + Postgres;
    public double Other => Math.Max(0, Busy - Stack - Generator);

    public static Cpu Sum(IEnumerable<(CpuSnapshot Before, CpuSnapshot After)> stretches)
    {
        double silo = 0, api = 0, pg = 0, gen = 0, busy = 0, total = 0;
        foreach (var (b, a) in stretches)
        {
            silo += a.Silo - b.Silo; api += a.Api - b.Api; pg += a.Postgres - b.Postgres;
            gen += a.Generator - b.Generator; busy += a.MachineBusy - b.MachineBusy; total += a.MachineTotal - b.MachineTotal;
        }
        return new Cpu(silo, api, pg, gen, busy, total);
    }

    /// <summary>Microseconds of <paramref name="seconds"/> per one of <paramref name="count"/>.</summary>
    public static double Per(double seconds, int count) => count == 0 ? 0 : seconds / count * 1e6;
}

/// <summary>A closed loop: <c>connections</c> loops each sending one request after another for a fixed time.</summary>
public static class Closed
{
    /// <summary>
    /// Runs <paramref name="call"/>(loop, n) on every loop until the time is up; answers that
    /// arrive after it are not counted. CPU is read when the time starts and when it ends.
    /// </summary>
    public static async Task<Stretch> Run(int connections, double seconds, ProcessCpu cpu, string type,
        Func<int, long, Task<Answer>> call, ConcurrentQueue<string> samples)
    {
        var window = new Window();
        var recorders = Enumerable.Range(0, connections).Select(_ => new Recorder(window)).ToArray();
        var before = cpu.Take();
        var watch = Stopwatch.StartNew();
        window.Start = Environment.TickCount64;
        window.End = window.Start + (long)(seconds * 1000);
        var loops = Enumerable.Range(0, connections).Select(k => Task.Run(async () =>
        {
            for (long n = 0; Environment.TickCount64 < window.End; n++)
            {
                var answer = await call(k, n);
                recorders[k].Note(type, answer, answer.Ok, samples);
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, window.End - Environment.TickCount64)));
        var after = cpu.Take();
        var elapsed = watch.Elapsed.TotalSeconds;
        await Task.WhenAll(loops);
        return new Stretch(recorders, before, after, elapsed);
    }
}
