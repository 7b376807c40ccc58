using System.Globalization;

namespace Actors.Bench.MarketLoad;

/// <summary>What a run prints and writes: throughput, latency per request type, failures, CPU per request of each process.</summary>
public static class Report
{
    public static void Print(LoadResult r, Options o)
    {
        var s = r.Summary;
        var cpu = Cpu(r);
        var what = o.DryRun ? "GET /market/api/agents/me (dry run)" : "hire → accept → start → deliver → complete";
        Console.WriteLine();
        Console.WriteLine($"== market money: {what}; {o.Pairs} pairs, {o.Connections} connections, {r.Seconds:0.0} s measured after {o.WarmupSeconds} s warm-up" +
            (o.IdempotencyKeys ? ", hires with Idempotency-Key" : ""));
        Console.WriteLine(($"lifecycles: {s.Lifecycles} ({s.Lifecycles / r.Seconds:0.0}/s)   requests: {s.Requests} ({s.Requests / r.Seconds:0.0}/s)   failed: {s.Failed}"));
        Console.WriteLine($"{"request",-10} {"count",8} {"req/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"failed",7}");
        foreach (var t in s.Types)
            Console.WriteLine(($"{t.Type,-10} {t.Requests,8} {t.Requests / r.Seconds,9:0.0} {t.P50Ms,8:0.0} {t.P90Ms,8:0.0} {t.P99Ms,8:0.0} {t.MaxMs,8:0.0} {t.Failed,7}")
                + (t.FailuresByStatus.Count == 0 ? "" : "  (" + string.Join(", ", t.FailuresByStatus.Select(f => $"{f.Key}: {f.Value}")) + ")"));
        Console.WriteLine(($"cpu seconds over {r.Seconds:0.0} s: silo {cpu.Silo:0.00}, api {cpu.Api:0.00}, postgres {cpu.Postgres:0.00}, generator {cpu.Generator:0.00}; " +
            $"machine busy {cpu.MachineBusy:0.00} of {cpu.MachineTotal:0.0} core-seconds (other processes {cpu.Other:0.00})"));
        if (s.Requests > 0)
        {
            Console.WriteLine(($"cpu per request: silo {Us(cpu.Silo, s.Requests)} us, api {Us(cpu.Api, s.Requests)} us, postgres {Us(cpu.Postgres, s.Requests)} us, " +
                $"stack {Us(cpu.Stack, s.Requests)} us (generator {Us(cpu.Generator, s.Requests)} us)"));
        }
        if (s.Lifecycles > 0)
            Console.WriteLine(($"cpu per lifecycle: stack {Us(cpu.Stack, s.Lifecycles)} us (silo {Us(cpu.Silo, s.Lifecycles)}, api {Us(cpu.Api, s.Lifecycles)}, postgres {Us(cpu.Postgres, s.Lifecycles)})"));
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        if (r.FirstFailures.Count > 0)
        {
            Console.WriteLine("first failures:");
            foreach (var f in r.FirstFailures) Console.WriteLine("  " + f);
        }
    }

    public static void Print(IReadOnlyList<PhaseResult> phases, Options o)
    {
        if (phases.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine($"== one step at a time: {o.PhaseJobs} lifecycles, each request type its own phase at {o.Connections} connections");
        Console.WriteLine($"{"request",-10} {"count",7} {"seconds",8} {"req/s",8} {"p50 ms",7} {"p99 ms",7} {"failed",6}   cpu per request (us): {"silo",6} {"api",6} {"postgres",8} {"stack",6}");
        foreach (var p in phases)
        {
            var n = p.Latency?.Requests ?? 0;
            var c = Cpu(p.Before, p.After);
            Console.WriteLine($"{p.Type,-10} {n,7} {p.Seconds,8:0.0} {n / p.Seconds,8:0.0} {p.Latency?.P50Ms ?? 0,7:0.0} {p.Latency?.P99Ms ?? 0,7:0.0} {p.Latency?.Failed ?? 0,6}   " +
                $"                      {Us(c.Silo, n),6} {Us(c.Api, n),6} {Us(c.Postgres, n),8} {Us(c.Stack, n),6}");
        }
        foreach (var p in phases.Where(p => p.Statements.Count > 0))
        {
            var n = Math.Max(1, p.Latency?.Requests ?? 1);
            Console.WriteLine($"statements per {p.Type}: {p.Statements.Sum(s => s.Value) / (double)n:0.0}");
            foreach (var (sql, count) in p.Statements.Take(12)) Console.WriteLine($"  {count / (double)n,5:0.00}  {sql}");
        }
    }

    public static object Json(LoadResult r, IReadOnlyList<PhaseResult> phases, Options o)
    {
        var s = r.Summary;
        var cpu = Cpu(r);
        double PerRequest(double seconds) => s.Requests == 0 ? 0 : Math.Round(seconds / s.Requests * 1e6, 1);
        return new
        {
            scenario = o.DryRun ? "dry-run: GET /market/api/agents/me" : "job lifecycle: hire, accept, start, deliver, complete",
            o.Pairs, o.Connections, measuredSeconds = Math.Round(r.Seconds, 2), o.WarmupSeconds, o.IdempotencyKeys, o.PriceCents,
            lifecycles = s.Lifecycles, lifecyclesPerSecond = Math.Round(s.Lifecycles / r.Seconds, 1),
            requests = s.Requests, requestsPerSecond = Math.Round(s.Requests / r.Seconds, 1), failed = s.Failed,
            perType = s.Types,
            cpuSeconds = new { silo = cpu.Silo, api = cpu.Api, postgres = cpu.Postgres, generator = cpu.Generator, machineBusy = cpu.MachineBusy, machineTotal = cpu.MachineTotal },
            cpuMicrosPerRequest = new
            {
                silo = PerRequest(cpu.Silo), api = PerRequest(cpu.Api), postgres = PerRequest(cpu.Postgres),
                stack = PerRequest(cpu.Stack), generator = PerRequest(cpu.Generator),
            },
            firstFailures = r.FirstFailures,
            phases = phases.Select(p =>
            {
                var n = p.Latency?.Requests ?? 0;
                var c = Cpu(p.Before, p.After);
                double Per(double seconds) => n == 0 ? 0 : Math.Round(seconds / n * 1e6, 1);
                return new
                {
                    type = p.Type, requests = n, seconds = Math.Round(p.Seconds, 2), latency = p.Latency,
                    cpuMicrosPerRequest = new { silo = Per(c.Silo), api = Per(c.Api), postgres = Per(c.Postgres), stack = Per(c.Stack), generator = Per(c.Generator) },
                };
            }),
        };
    }

    sealed record CpuUse(double Silo, double Api, double Postgres, double Generator, double MachineBusy, double MachineTotal)
    {
        public double Stack => Silo + Api + Postgres;
        public double Other => Math.Max(0, MachineBusy - Stack - Generator);
    }

    static CpuUse Cpu(LoadResult r) => Cpu(r.Before, r.After);

    static CpuUse Cpu(CpuSnapshot before, CpuSnapshot after) => new(
        after.Silo - before.Silo, after.Api - before.Api, after.Postgres - before.Postgres,
        after.Generator - before.Generator, after.MachineBusy - before.MachineBusy, after.MachineTotal - before.MachineTotal);

    static string Us(double seconds, int n) => n == 0 ? "-" : (seconds / n * 1e6).ToString("0", CultureInfo.InvariantCulture);
}
