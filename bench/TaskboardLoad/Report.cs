using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

public static class Report
{
    public const double PollTarget = 0.8;

    public static void Print(Scenario ceiling, Scenario poll, IReadOnlyList<Scenario> diagnosis, LifecycleResult life, CheckResult check, Board board, Options o)
    {
        Console.WriteLine();
        Console.WriteLine($"== phase 1: {o.Agents} agents polling beside the grain-read ceiling; {o.Connections} connections, " +
            $"{o.DurationSeconds} s each in {o.Slices} alternating slices; {board.OpenTasks.Length} OPEN tasks");
        Console.WriteLine($"{"scenario",-52} {"requests",9} {"seconds",8} {"req/s",8} {"p50 ms",7} {"p90 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6}   cpu per request (us): {"silo",5} {"api",5} {"pg",5} {"stack",5} {"gen",5}");
        foreach (var s in new[] { ceiling, poll }.Concat(diagnosis))
        {
            var l = s.Latency;
            var c = s.Cpu;
            Console.WriteLine($"{s.Name,-52} {s.Requests,9} {s.Seconds,8:0.0} {s.PerSecond,8:0} {l?.P50Ms ?? 0,7:0.0} {l?.P90Ms ?? 0,7:0.0} {l?.P99Ms ?? 0,7:0.0} {l?.MaxMs ?? 0,7:0.0} {l?.Failed ?? 0,6}   " +
                $"                      {Cpu.Per(c.Silo, s.Requests),5:0} {Cpu.Per(c.Api, s.Requests),5:0} {Cpu.Per(c.Postgres, s.Requests),5:0} {Cpu.Per(c.Stack, s.Requests),5:0} {Cpu.Per(c.Generator, s.Requests),5:0}" +
                (l is { Failed: > 0 } ? "  (" + string.Join(", ", l.FailuresByStatus.Select(f => $"{f.Key}: {f.Value}")) + ")" : ""));
        }
        var ratio = Ratio(ceiling, poll);
        Console.WriteLine($"poll / grain read = {ratio:0.00} (target ≥ {PollTarget:0.0}: {(ratio >= PollTarget ? "met" : "NOT met")})");
        foreach (var s in new[] { ceiling, poll }.Concat(diagnosis))
            Console.WriteLine($"machine during {s.Name}: busy {s.Cpu.Busy:0.0} of {s.Cpu.Total:0.0} core-seconds; the stack {s.Cpu.Stack:0.0}, the generator {s.Cpu.Generator:0.0}, other processes {s.Cpu.Other:0.0}");

        Console.WriteLine();
        var lc = Cpu.Sum([(life.Before, life.After)]);
        var n = life.Summary.Lifecycles;
        Console.WriteLine($"== phase 2: claim → deliver → approve lifecycles (the client posts each), {o.Workers} workers, {o.LifecycleSeconds} s after a {o.WarmupSeconds} s warm-up, reward {o.RewardUsdc} USDC");
        Console.WriteLine($"lifecycles: {n} in {life.Seconds:0.0} s = {n / life.Seconds:0.0} /s; requests {life.Summary.Requests} = {life.Summary.Requests / life.Seconds:0} /s, failed {life.Summary.Failed}");
        Console.WriteLine($"{"step",-10} {"requests",9} {"p50 ms",7} {"p90 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6}");
        foreach (var t in life.Summary.Types)
            Console.WriteLine($"{t.Type,-10} {t.Requests,9} {t.P50Ms,7:0.0} {t.P90Ms,7:0.0} {t.P99Ms,7:0.0} {t.MaxMs,7:0.0} {t.Failed,6}" +
                (t.Failed == 0 ? "" : "  (" + string.Join(", ", t.FailuresByStatus.Select(f => $"{f.Key}: {f.Value}")) + ")"));
        Console.WriteLine($"cpu per lifecycle (us): silo {Cpu.Per(lc.Silo, n):0}, api {Cpu.Per(lc.Api, n):0}, pg {Cpu.Per(lc.Postgres, n):0}, stack {Cpu.Per(lc.Stack, n):0}, generator {Cpu.Per(lc.Generator, n):0}; " +
            $"machine busy {lc.Busy:0.0} of {lc.Total:0.0} core-seconds, other processes {lc.Other:0.0}");

        Console.WriteLine();
        Console.WriteLine($"checks: {life.Posted.Count} lifecycle tasks posted, by status: {string.Join(", ", check.LifecycleStatuses.Select(s => $"{s.Key} {s.Value}"))}; " +
            $"ledger sum {check.LedgerSum}, drifted accounts {check.DriftedAccounts}; lifecycle escrows not empty {check.LifecycleEscrowsNotEmpty}; " +
            $"OPEN escrows hold {check.OpenEscrowCents} of {check.OpenTasksCents} cents");
        Console.WriteLine($"        {check.AgentsPaid} agents paid {check.EarnedCents} cents in all (wallet = table = /agents/me = approvals for every agent unless listed below); " +
            $"client wallet {check.ClientBalanceCents} cents, expected {check.ClientExpectedCents}");
        Console.WriteLine(check.Problems.Count == 0 ? "        everything adds up" : "PROBLEMS:\n  " + string.Join("\n  ", check.Problems));
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (name, samples) in new[] { (ceiling.Name, ceiling.Samples.ToList()), (poll.Name, poll.Samples.ToList()), ("lifecycles", life.FirstFailures.ToList()) })
        {
            if (samples.Count == 0) continue;
            Console.WriteLine($"first failures ({name}):");
            foreach (var f in samples.Take(10)) Console.WriteLine("  " + f);
        }
    }

    public static double Ratio(Scenario ceiling, Scenario poll) => ceiling.PerSecond == 0 ? 0 : poll.PerSecond / ceiling.PerSecond;

    public static object Json(Scenario ceiling, Scenario poll, IReadOnlyList<Scenario> diagnosis, LifecycleResult life, CheckResult check, Board board, Options o)
    {
        var lc = Cpu.Sum([(life.Before, life.After)]);
        var n = life.Summary.Lifecycles;
        return new
        {
            o.Agents, tasks = board.OpenTasks.Length, o.Connections, o.DurationSeconds, o.Slices, o.Workers, o.LifecycleSeconds, o.WarmupSeconds, o.RewardUsdc,
            poll = new[] { ceiling, poll }.Concat(diagnosis).Select(s => new
            {
                s.Name, requests = s.Requests, seconds = Math.Round(s.Seconds, 3), perSecond = Math.Round(s.PerSecond, 1), latency = s.Latency,
                cpuSeconds = s.Cpu,
                cpuMicrosPerRequest = new
                {
                    silo = Math.Round(Cpu.Per(s.Cpu.Silo, s.Requests), 1), api = Math.Round(Cpu.Per(s.Cpu.Api, s.Requests), 1),
                    postgres = Math.Round(Cpu.Per(s.Cpu.Postgres, s.Requests), 1), stack = Math.Round(Cpu.Per(s.Cpu.Stack, s.Requests), 1),
                    generator = Math.Round(Cpu.Per(s.Cpu.Generator, s.Requests), 1),
                },
                firstFailures = s.Samples.Take(10),
            }),
            pollRatio = Math.Round(Ratio(ceiling, poll), 3), pollTarget = PollTarget,
            lifecycles = new
            {
                count = n, seconds = Math.Round(life.Seconds, 3), perSecond = Math.Round(n / life.Seconds, 2), steps = life.Summary.Types, cpuSeconds = lc,
                cpuMicrosPerLifecycle = new
                {
                    silo = Math.Round(Cpu.Per(lc.Silo, n)), api = Math.Round(Cpu.Per(lc.Api, n)), postgres = Math.Round(Cpu.Per(lc.Postgres, n)),
                    stack = Math.Round(Cpu.Per(lc.Stack, n)), generator = Math.Round(Cpu.Per(lc.Generator, n)),
                },
                firstFailures = life.FirstFailures,
            },
            checks = check,
        };
    }
}
