namespace Actors.Bench.SubscriptionLoad;

public static class Report
{
    public static void Print(Idle idle, Subscribed s, Observed w, Figures f, Sampler samples, Options o)
    {
        Console.WriteLine();
        Console.WriteLine($"== subscriptions: {s.Created.Count} active of {o.Subscriptions} requested ({o.Subscribers} subscribers × {o.PerSubscriber}, " +
            $"{o.Services} services of {o.Providers} providers), runIntervalHours 1, one hour = {o.HourLength}");

        var sub = Lags.Of(s.Micros.Select(m => m / 1000.0));
        var subCpu = Cpu(s.Before, s.After);
        Console.WriteLine($"subscribe: {s.Micros.Count} requests in {s.Seconds:0.0} s = {s.Micros.Count / s.Seconds:0} /s at most {o.Concurrency} concurrent{(o.Paced ? $", paced over one interval ({o.Subscriptions / o.Interval.TotalSeconds:0.0} /s offered)" : ", unpaced")}, " +
            $"p50 {sub.P50:0.0} ms, p99 {sub.P99:0.0} ms, max {sub.Max:0.0} ms, errors {s.Failed}" +
            (s.Failed == 0 ? "" : " (" + string.Join(", ", s.Failures.Select(x => $"{x.Key}: {x.Value}")) + ")"));
        Console.WriteLine($"  cpu per subscribe (us): silo {Per(subCpu.Silo, s.Micros.Count)}, api {Per(subCpu.Api, s.Micros.Count)}, pg {Per(subCpu.Postgres, s.Micros.Count)}, " +
            $"stack {Per(subCpu.Stack, s.Micros.Count)}; machine busy {subCpu.Busy:0.0} of {subCpu.Total:0.0} core-seconds, other processes {subCpu.Other:0.0}");

        Console.WriteLine();
        Console.WriteLine($"runs per slot (slot k due at created_at + k × interval), lag = started_at − scheduled_at in ms:");
        Console.WriteLine($"{"slot",4} {"subs",7} {"one run",8} {"none",6} {"more",6}   {"p50",8} {"p90",8} {"p99",8} {"p99.9",8} {"max",8} {">1 s",6} {">10 s",6}");
        foreach (var r in f.Rounds)
            Console.WriteLine($"{r.Slot,4} {r.Subscriptions,7} {r.WithOne,8} {r.WithNone,6} {r.WithMore,6}   {LagColumns(r.Lag)}");
        Console.WriteLine($"{"all",4} {"",7} {f.Rounds.Sum(r => r.WithOne),8} {f.Rounds.Sum(r => r.WithNone),6} {f.Rounds.Sum(r => r.WithMore),6}   {LagColumns(f.Lag)}");
        Console.WriteLine($"runs off the slot grid: {f.OffGrid}; runs of later slots (the earliest subscriptions' slot {o.Rounds + 1}): {f.LaterSlots}; " +
            $"runs by status: {string.Join(", ", f.RunStatuses.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}"))}");
        Console.WriteLine($"subscriptions by status: {string.Join(", ", f.Statuses.Select(x => $"{x.Key} {x.Value}"))}");

        var rep = Lags.Of(w.ReportMicros.Select(m => m / 1000.0));
        Console.WriteLine($"reports: {w.RunsSeen} runs seen RUNNING, {w.ReportMicros.Count} PATCHed COMPLETED (p50 {rep.P50:0.0} ms, p99 {rep.P99:0.0} ms), " +
            $"{w.ReportFailures.Values.Sum()} failed" + (w.ReportFailures.Count == 0 ? "" : " (" + string.Join(", ", w.ReportFailures.Select(x => $"{x.Key}: {x.Value}")) + ")") +
            $"; {f.ReportedCompleted} of {f.Reported} acknowledged reports COMPLETED in the table");
        Console.WriteLine($"missed: {w.LeftOpen.Count} runs left unreported; {f.LeftOpenWithNext} of them had a later run, {f.MissedAsExpected} of those FAILED 'MISSED' " +
            $"({(f.MissedAsExpected == f.LeftOpenWithNext ? "as expected" : "NOT as expected")}); {f.LeftOpenStillRunning} still RUNNING (their next slot not due yet); " +
            $"MISSED runs that were reported or not seen: {f.MissedOther}");

        var win = Cpu(w.Before, w.After);
        Console.WriteLine($"observation: {w.Seconds:0} s, {f.RunsInWindow} runs started in it ({f.RunsInWindow / Math.Max(1, w.Seconds):0.0} /s); cpu per run, its report included (us): " +
            $"silo {Per(win.Silo, f.RunsInWindow)}, api {Per(win.Api, f.RunsInWindow)}, pg {Per(win.Postgres, f.RunsInWindow)}, stack {Per(win.Stack, f.RunsInWindow)}, " +
            $"generator {Per(win.Generator, f.RunsInWindow)}; the stack used {win.Stack / Math.Max(1, w.Seconds) * 100:0.0} % of one core; " +
            $"machine busy {win.Busy:0.0} of {win.Total:0.0} core-seconds, other processes {win.Other:0.0}");
        var still = Cpu(idle.Before, idle.After);
        var net = win.Stack - still.Stack / idle.Seconds * w.Seconds;
        Console.WriteLine($"  the stack idle (over {idle.Seconds} s before the setup): silo {still.Silo / idle.Seconds * 100:0.0} %, api {still.Api / idle.Seconds * 100:0.0} %, " +
            $"pg {still.Postgres / idle.Seconds * 100:0.0} % of one core; cpu per run net of that: stack {(net > 0 ? Per(net, f.RunsInWindow) : "-")} us");

        Memory(samples);
        Console.WriteLine($"grain types named like subscriptions (activations counted: those ending .SubscriptionGrain): {string.Join("; ", samples.Probe.SeenTypes)}");
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var failure in s.FirstFailures.Concat(w.FirstFailures)) Console.WriteLine("  failure: " + failure);
        Console.WriteLine(f.Sound ? "sound: every slot ran exactly once, every unreported run was MISSED by the next" : "NOT SOUND: see the figures above");
    }

    /// <summary>The silo's memory and SubscriptionGrain activations per phase: first, least, most, last sample.</summary>
    static void Memory(Sampler samples)
    {
        foreach (var phase in samples.Samples.GroupBy(x => x.Phase))
        {
            var list = phase.ToList();
            var acts = list.Where(x => x.SubscriptionActivations is not null).Select(x => x.SubscriptionActivations!.Value).ToList();
            Console.WriteLine($"silo during {phase.Key,-11}: RSS {list[0].SiloRssMiB:0} → {list[^1].SiloRssMiB:0} MiB (max {list.Max(x => x.SiloRssMiB):0}), " +
                $"SubscriptionGrain activations {(acts.Count == 0 ? "unknown" : $"min {acts.Min()}, max {acts.Max()}, last {acts[^1]}")} ({list.Count} samples)");
        }
    }

    static string LagColumns(Lags l) =>
        $"{l.P50,8:0.0} {l.P90,8:0.0} {l.P99,8:0.0} {l.P999,8:0.0} {l.Max,8:0.0} {l.Over1s,6} {l.Over10s,6}";

    static string Per(double seconds, long count) => count == 0 ? "-" : $"{seconds / count * 1e6:0}";

    sealed record CpuUse(double Silo, double Api, double Postgres, double Generator, double Busy, double Total)
    {
        public double Stack => Silo + Api + Postgres;
        public double Other => Math.Max(0, Busy - Stack - Generator);
    }

    static CpuUse Cpu(CpuSnapshot a, CpuSnapshot b) =>
        new(b.Silo - a.Silo, b.Api - a.Api, b.Postgres - a.Postgres, b.Generator - a.Generator, b.MachineBusy - a.MachineBusy, b.MachineTotal - a.MachineTotal);

    public static object Json(Idle idle, Subscribed s, Observed w, Figures f, Sampler samples, Options o)
    {
        var sub = Lags.Of(s.Micros.Select(m => m / 1000.0));
        var subCpu = Cpu(s.Before, s.After);
        var win = Cpu(w.Before, w.After);
        return new
        {
            options = new { o.Providers, o.ServicesPerProvider, o.Subscribers, o.PerSubscriber, o.Concurrency, o.Rounds, o.CompletedPercent, o.Paced, hourLength = o.HourLength.ToString() },
            subscribe = new
            {
                requests = s.Micros.Count, created = s.Created.Count, seconds = Math.Round(s.Seconds, 2), perSecond = Math.Round(s.Micros.Count / s.Seconds, 1),
                p50Ms = sub.P50, p99Ms = sub.P99, maxMs = sub.Max, errors = s.Failed, failures = s.Failures,
                cpuSeconds = subCpu,
            },
            rounds = f.Rounds,
            lag = f.Lag,
            f.OffGrid, f.LaterSlots, f.Statuses, f.RunStatuses,
            missed = new { leftOpen = w.LeftOpen.Count, f.LeftOpenWithNext, f.MissedAsExpected, f.LeftOpenStillRunning, f.MissedOther },
            reports = new { w.RunsSeen, requests = w.ReportMicros.Count, failures = w.ReportFailures, f.Reported, f.ReportedCompleted },
            observation = new { seconds = Math.Round(w.Seconds, 1), f.RunsInWindow, cpuSeconds = win },
            idle = new { idle.Seconds, cpuSeconds = Cpu(idle.Before, idle.After) },
            samples = samples.Samples,
            f.Sound,
        };
    }
}
