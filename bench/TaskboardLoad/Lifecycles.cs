using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

/// <summary>What phase 2 did: the latencies per step inside the window, the CPU at its ends, and every task it posted and paid (for the checks).</summary>
public sealed record LifecycleResult(Summary Summary, CpuSnapshot Before, CpuSnapshot After, double Seconds, IReadOnlyList<string> FirstFailures,
    IReadOnlyList<string> Posted, IReadOnlyDictionary<string, long> EarnedByAgent, int Approved, long PostedCents);

/// <summary>
/// Phase 2: <see cref="Options.Workers"/> loops, each running whole lifecycles one request after
/// another: the client posts a task, an agent claims it, delivers, the client approves (the escrow
/// is released to the agent's wallet less the platform's fee). Agents in turn over all of them.
/// Answers inside the window (after the warm-up) are recorded; every lifecycle started before the
/// window ends is finished, so that every task posted ends COMPLETED.
/// </summary>
public static class Lifecycles
{
    public static readonly string[] Steps = ["post", "claim", "deliver", "approve"];

    public static async Task<LifecycleResult> Run(TaskboardApi api, Board board, Options o, ProcessCpu cpu, string run)
    {
        var window = new Window();
        window.Start = Environment.TickCount64 + o.WarmupSeconds * 1000L;
        window.End = window.Start + o.LifecycleSeconds * 1000L;
        var samples = new ConcurrentQueue<string>();
        var posted = new ConcurrentQueue<string>();
        var earned = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var approved = 0;
        var recorders = Enumerable.Range(0, o.Workers).Select(_ => new Recorder(window)).ToArray();
        var meter = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, window.Start - Environment.TickCount64)));
            var before = cpu.Take();
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, window.End - Environment.TickCount64)));
            return (before, after: cpu.Take(), watch.Elapsed.TotalSeconds);
        });
        var loops = Enumerable.Range(0, o.Workers).Select(k => Task.Run(async () =>
        {
            var rec = recorders[k];
            for (var n = k; Environment.TickCount64 < window.End; n += o.Workers)
            {
                var agent = board.Agents[n % board.Agents.Length];
                var post = await api.PostTask($"Lifecycle {run}-{n}", [agent.Capabilities[0]], o.RewardUsdc);
                var taskId = post.Body.Str("task.id");
                if (taskId is not null) posted.Enqueue(taskId);
                if (!rec.Note("post", post, post.Ok && taskId is not null, samples)) continue;
                if (!Note(rec, samples, "claim", await api.Claim(agent.ApiKey, agent.Handle, taskId!))) continue;
                if (!Note(rec, samples, "deliver", await api.Deliver(agent.ApiKey, agent.Handle, taskId!))) continue;
                var approve = await api.Approve(taskId!);
                var paid = approve.Body.Num("task.agentEarned.amount");
                if (!rec.Note("approve", approve, approve.Ok && approve.Body.Str("task.status") == "COMPLETED" && paid is not null, samples)) continue;
                earned.AddOrUpdate(agent.Handle, Setup.Cents(paid!.Value), (_, c) => c + Setup.Cents(paid!.Value));
                Interlocked.Increment(ref approved);
                rec.LifecycleDone();
            }
        })).ToArray();
        var (before, after, seconds) = await meter;
        await Task.WhenAll(loops);
        return new LifecycleResult(Recorder.Merge(recorders, Steps), before, after, seconds, [.. samples], [.. posted],
            new Dictionary<string, long>(earned), approved, posted.Count * Setup.Cents(o.RewardUsdc));
    }

    static bool Note(Recorder rec, ConcurrentQueue<string> samples, string step, Answer answer) => rec.Note(step, answer, answer.Ok, samples);
}
