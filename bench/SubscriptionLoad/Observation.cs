using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Actors.Bench.MarketLoad;
using Npgsql;

namespace Actors.Bench.SubscriptionLoad;

/// <summary>
/// The observation window: from the end of subscribing until every subscription had --rounds slots
/// due (the last one created + rounds × interval + a grace). Runs seen RUNNING, those reported
/// COMPLETED (answered 200) and those left open on purpose; the reports' latencies and failures; the CPU at both ends.
/// </summary>
public sealed record Observed(DateTimeOffset Start, DateTimeOffset End, double Seconds, CpuSnapshot Before, CpuSnapshot After,
    int RunsSeen, HashSet<string> Reported, HashSet<string> LeftOpen, List<long> ReportMicros, Dictionary<string, int> ReportFailures, List<string> FirstFailures);

public static class Observation
{
    /// <summary>Past the last slot due, how long the runs get to start before the figures are read.</summary>
    public static TimeSpan Grace(Options o) => TimeSpan.FromTicks(Math.Clamp(o.Interval.Ticks / 4, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public static async Task<Observed> Run(MarketApi api, NpgsqlDataSource db, Subscribed subscribed, Options o, ProcessCpu cpu, Sampler samples)
    {
        var ours = subscribed.Created.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var end = subscribed.LastCreatedAt + o.Interval * o.Rounds + Grace(o);
        var start = DateTimeOffset.UtcNow;
        Console.WriteLine($"observing until {end:HH:mm:ss} UTC ({(end - start).TotalSeconds:0} s): {o.Rounds} slots of every subscription, {o.CompletedPercent} % of the runs reported COMPLETED");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var leftOpen = new HashSet<string>(StringComparer.Ordinal);
        var reported = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var micros = new ConcurrentQueue<long>();
        var failures = new ConcurrentDictionary<string, int>();
        var firstFailures = new ConcurrentQueue<string>();
        var reports = Channel.CreateUnbounded<(string SubscriptionId, string RunId)>();
        var before = cpu.Take();

        var reporters = Enumerable.Range(0, o.ReportConcurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var (subscriptionId, runId) in reports.Reader.ReadAllAsync())
            {
                var answer = await api.Send(HttpMethod.Patch, $"/market/api/subscriptions/{subscriptionId}/runs/{runId}", ours[subscriptionId].ProviderKey,
                    new { status = "COMPLETED", output = "Benchmark report: all markets calm" }, read: false, keyed: false);
                micros.Enqueue(answer.Micros);
                if (answer.Status == 200) { reported[runId] = true; continue; }
                failures.AddOrUpdate(answer.Status == 0 ? "no response" : answer.Status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if (firstFailures.Count < 10) firstFailures.Enqueue($"{runId}: {answer.Describe()}");
            }
        })).ToArray();

        // New runs, read from the table once a second: the provider hears of them by webhook in
        // production; reading the table spares the bench a receiver and the API a poll.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (DateTimeOffset.UtcNow < end && await timer.WaitForNextTickAsync())
        {
            List<(string Sub, string Run)> running = [];
            try
            {
                await using var cmd = db.CreateCommand("SELECT subscription_id, run_id FROM subscription_runs WHERE status = 'RUNNING'");
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) running.Add((reader.GetString(0), reader.GetString(1)));
            }
            catch (NpgsqlException e)
            {
                Console.WriteLine($"warning: reading the runs failed ({e.Message})");
                continue;
            }
            foreach (var (sub, run) in running)
            {
                if (!ours.ContainsKey(sub) || !seen.Add(run)) continue;
                if (Completes(run, o.CompletedPercent)) reports.Writer.TryWrite((sub, run));
                else leftOpen.Add(run);
            }
        }
        reports.Writer.Complete();
        await Task.WhenAll(reporters);
        var stop = DateTimeOffset.UtcNow;
        return new Observed(start, stop, (stop - start).TotalSeconds, before, cpu.Take(), seen.Count,
            [.. reported.Keys], leftOpen, [.. micros], new Dictionary<string, int>(failures), [.. firstFailures]);
    }

    /// <summary>Whether the run is reported: a hash of its id (FNV-1a), so the same share whatever the order runs are seen in.</summary>
    static bool Completes(string runId, int percent)
    {
        var hash = 2166136261u;
        foreach (var c in runId) hash = (hash ^ c) * 16777619u;
        return hash % 100 < percent;
    }
}
