using Actors.Bench;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Bench.MarketLoad;

// The market money benchmark (issue 13): full job lifecycles, hire → accept → start → deliver →
// complete, over agent pairs at a fixed number of connections, against the stack ./run started.
// bench/run-market-money.sh runs it beside access's authorize benchmark; see bench/README.md.
//
//   dotnet bench/MarketLoad/bin/Release/net10.0/MarketLoad.dll [--url http://127.0.0.1:5080]
//     [--pairs 1000] [--connections 64] [--duration 30] [--warmup 5] [--data-dir .data]
//     [--price 100] [--deposit 1000000] [--idempotency-keys] [--phases 1000] [--out result.json] [--dry-run]
//
// --phases N then runs N more lifecycles one step at a time (N hires, then their N accepts, …),
// each step its own measured phase: the CPU per request of each request type, which the mixed
// window cannot tell apart (0 skips it). With --pg-log <PostgreSQL's log file>, of a server
// started with -c log_min_duration_statement=0 (ACTORS_PG_TUNING; a diagnosis, not a measured
// run: logging every statement costs), each phase also counts the statements it made PostgreSQL run.
// --dry-run registers the agents and measures GET /market/api/agents/me instead of lifecycles:
// it exercises registration and the CPU accounting on a stack without the money endpoints.

// Numbers print with '.' whatever the machine's culture (the project is InvariantGlobalization too).
LocalStack.InvariantNumbers();
var options = Options.Parse(args);
if (LocalStack.Refusal(options.Url) is { } refused) return refused;

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
};
using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
var api = new MarketApi(http, options.IdempotencyKeys);

if (await LocalStack.NotReady(http) is { } notReady) return notReady;

var cpu = LocalStack.Cpu(options.Url, options.DataDir);

var setupWatch = Stopwatch.StartNew();
Pair[] pairs;
try { pairs = await Setup.Run(api, options); }
catch (SetupFailed e)
{
    Console.Error.WriteLine($"setup failed: {e.Message}");
    return 1;
}
Console.WriteLine($"setup: {pairs.Length} pairs in {setupWatch.Elapsed.TotalSeconds:0.0} s" +
    (options.DryRun ? " (dry run: registered only)" : " (registered, one service each, buyers funded)"));

var result = await Load.Run(api, pairs, options, cpu);
Report.Print(result, options);
var phases = options.PhaseJobs > 0 && !options.DryRun ? await Phases.Run(api, pairs, options, cpu) : [];
Report.Print(phases, options);
if (options.Out is { } file)
{
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Report.Json(result, phases, options), new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"written: {file}");
}
return 0;

namespace Actors.Bench.MarketLoad
{
    public sealed record Options(Uri Url, int Pairs, int Connections, int DurationSeconds, int WarmupSeconds, string DataDir,
        long PriceCents, long DepositCents, bool IdempotencyKeys, string? Out, bool DryRun, int SetupConcurrency, int PhaseJobs, string? PgLog)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
                var name = args[i][2..];
                if (name is "idempotency-keys" or "dry-run") flags.Add(name);
                else if (i + 1 < args.Length) values[name] = args[++i];
                else throw new ArgumentException($"--{name} needs a value");
            }
            string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
            int Seconds(string name, string fallback) => int.Parse(Get(name, fallback).TrimEnd('s'), CultureInfo.InvariantCulture);
            return new Options(
                new Uri(Get("url", "http://127.0.0.1:5080")),
                int.Parse(Get("pairs", "1000"), CultureInfo.InvariantCulture),
                int.Parse(Get("connections", "64"), CultureInfo.InvariantCulture),
                Seconds("duration", "30"), Seconds("warmup", "5"),
                Get("data-dir", Environment.GetEnvironmentVariable("ACTORS_DATA_DIR") ?? ".data"),
                long.Parse(Get("price", "100"), CultureInfo.InvariantCulture),
                long.Parse(Get("deposit", "1000000"), CultureInfo.InvariantCulture),
                flags.Contains("idempotency-keys"), values.GetValueOrDefault("out"), flags.Contains("dry-run"),
                int.Parse(Get("setup-concurrency", "16"), CultureInfo.InvariantCulture),
                int.Parse(Get("phases", "1000"), CultureInfo.InvariantCulture),
                values.GetValueOrDefault("pg-log"));
        }
    }

    /// <summary>A buyer and the worker whose one service it hires.</summary>
    public sealed record Pair(string BuyerKey, string WorkerKey, string ServiceId);

    public sealed class SetupFailed(string message) : Exception(message);

    /// <summary>Registers both agents of every pair, lists the worker's service, funds the buyer by a deposit.</summary>
    public static class Setup
    {
        public static async Task<Pair[]> Run(MarketApi api, Options o)
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            var pairs = new Pair[o.Pairs];
            await Parallel.ForEachAsync(Enumerable.Range(0, o.Pairs), new ParallelOptions { MaxDegreeOfParallelism = o.SetupConcurrency }, async (i, _) =>
            {
                var buyer = Field(await Retry(() => api.Register($"mm-{run}-{i}-buyer")), "agent.apiKey", "register");
                var worker = Field(await Retry(() => api.Register($"mm-{run}-{i}-worker")), "agent.apiKey", "register");
                if (o.DryRun) { pairs[i] = new Pair(buyer, worker, ""); return; }
                var service = Field(await Retry(() => api.ListService(worker, $"Benchmark service {run}-{i}", o.PriceCents)), "service.id", "POST /market/api/services");
                for (var left = o.DepositCents; left > 0; left -= Math.Min(left, 1_000_000))
                    Check(await Retry(() => api.Deposit(buyer, Math.Min(left, 1_000_000))), "POST /market/api/agents/wallet/deposit");
                pairs[i] = new Pair(buyer, worker, service);
            });
            return pairs;
        }

        // Setup runs before anything is measured: a transient 503 or 429 is waited out, not counted.
        static async Task<Answer> Retry(Func<Task<Answer>> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                var answer = await call();
                if (answer.Ok || attempt == 10 || answer.Status is >= 400 and < 500 and not 429 and not 409) return answer;
                await Task.Delay(200 * attempt);
            }
        }

        static string Field(Answer answer, string path, string what) =>
            Check(answer, what).Body.Str(path) ?? throw new SetupFailed($"{what} answered without {path}: {answer.Describe()}");

        static Answer Check(Answer answer, string what) => answer.Ok ? answer : throw new SetupFailed($"{what}: {answer.Describe()}");
    }

    public sealed record LoadResult(Summary Summary, CpuSnapshot Before, CpuSnapshot After, double Seconds, IReadOnlyList<string> FirstFailures);

    /// <summary>
    /// <see cref="Options.Connections"/> loops, each running whole lifecycles one request after
    /// another over its share of the pairs. Answers that arrive inside the measured window are
    /// recorded; CPU is read from /proc at the window's two ends.
    /// </summary>
    public static class Load
    {
        public static readonly string[] Types = ["hire", "accept", "start", "deliver", "complete"];

        public static async Task<LoadResult> Run(MarketApi api, Pair[] pairs, Options o, ProcessCpu cpu)
        {
            var window = new Window();
            var now = Environment.TickCount64;
            window.Start = now + o.WarmupSeconds * 1000L;
            window.End = window.Start + o.DurationSeconds * 1000L;
            var samples = new ConcurrentQueue<string>();
            var recorders = Enumerable.Range(0, o.Connections).Select(_ => new Recorder(window)).ToArray();

            var meter = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, window.Start - Environment.TickCount64)));
                var before = cpu.Take();
                var watch = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, window.End - Environment.TickCount64)));
                return (before, after: cpu.Take(), watch.Elapsed.TotalSeconds);
            });
            var loops = Enumerable.Range(0, o.Connections).Select(k => Task.Run(() => o.DryRun
                ? ReadProfiles(api, pairs, k, o.Connections, recorders[k], window, samples)
                : Lifecycles(api, pairs, k, o.Connections, recorders[k], window, samples))).ToArray();
            var (before, after, seconds) = await meter;
            await Task.WhenAll(loops);
            return new LoadResult(Recorder.Merge(recorders, o.DryRun ? ["me"] : Types), before, after, seconds, samples.ToArray());
        }

        static async Task Lifecycles(MarketApi api, Pair[] pairs, int loop, int loops, Recorder rec, Window window, ConcurrentQueue<string> samples)
        {
            for (var n = loop; Environment.TickCount64 < window.End; n += loops)
            {
                var pair = pairs[n % pairs.Length];
                var hire = await api.Hire(pair.BuyerKey, pair.ServiceId, "Benchmark job: deliver anything");
                var jobId = hire.Body.Str("job.id");
                if (!rec.Note("hire", hire, hire.Ok && jobId is not null && hire.Body.Str("paymentMethod") == "wallet", samples)) continue;
                if (!await Step(rec, samples, "accept", api.Act(pair.WorkerKey, jobId!, "accept"))) continue;
                if (!await Step(rec, samples, "start", api.Act(pair.WorkerKey, jobId!, "start"))) continue;
                if (!await Step(rec, samples, "deliver", api.Act(pair.WorkerKey, jobId!, "deliver", "Delivered by the benchmark"))) continue;
                if (!await Step(rec, samples, "complete", api.Act(pair.BuyerKey, jobId!, "complete"))) continue;
                rec.LifecycleDone();
            }
        }

        internal static async Task<bool> Step(Recorder rec, ConcurrentQueue<string> samples, string type, Task<Answer> call)
        {
            var answer = await call;
            return rec.Note(type, answer, answer.Ok, samples);
        }

        static async Task ReadProfiles(MarketApi api, Pair[] pairs, int loop, int loops, Recorder rec, Window window, ConcurrentQueue<string> samples)
        {
            for (var n = loop; Environment.TickCount64 < window.End; n += loops)
            {
                var pair = pairs[n % pairs.Length];
                await Step(rec, samples, "me", api.Me(n / pairs.Length % 2 == 0 ? pair.BuyerKey : pair.WorkerKey));
            }
        }
    }

    public sealed record PhaseResult(string Type, TypeSummary? Latency, double Seconds, CpuSnapshot Before, CpuSnapshot After,
        IReadOnlyList<KeyValuePair<string, int>> Statements);

    /// <summary>
    /// Lifecycles one step at a time: <see cref="Options.PhaseJobs"/> hires on all connections,
    /// then the accepts of those jobs, and so on; each step is measured on its own (latency and
    /// CPU), so the CPU per request of each request type shows where a lifecycle's CPU goes.
    /// </summary>
    public static class Phases
    {
        public static async Task<IReadOnlyList<PhaseResult>> Run(MarketApi api, Pair[] pairs, Options o, ProcessCpu cpu)
        {
            var jobs = new string?[o.PhaseJobs];
            var results = new List<PhaseResult>();
            foreach (var type in Load.Types)
            {
                var window = new Window { Start = 0 };
                var samples = new ConcurrentQueue<string>();
                var recorders = Enumerable.Range(0, o.Connections).Select(_ => new Recorder(window)).ToArray();
                var next = -1;
                var logFrom = o.PgLog is { } log ? new FileInfo(log).Length : 0;
                var before = cpu.Take();
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(recorders.Select(rec => Task.Run(async () =>
                {
                    for (int i; (i = Interlocked.Increment(ref next)) < jobs.Length;)
                    {
                        var pair = pairs[i % pairs.Length];
                        if (type == "hire")
                        {
                            var hire = await api.Hire(pair.BuyerKey, pair.ServiceId, "Benchmark job: deliver anything");
                            if (rec.Note(type, hire, hire.Ok && hire.Body.Str("paymentMethod") == "wallet" && hire.Body.Str("job.id") is not null, samples))
                                jobs[i] = hire.Body.Str("job.id");
                        }
                        else if (jobs[i] is { } jobId)
                        {
                            var call = type switch
                            {
                                "deliver" => api.Act(pair.WorkerKey, jobId, type, "Delivered by the benchmark"),
                                "complete" => api.Act(pair.BuyerKey, jobId, type),
                                _ => api.Act(pair.WorkerKey, jobId, type),
                            };
                            if (!await Load.Step(rec, samples, type, call)) jobs[i] = null;
                        }
                    }
                })));
                var after = cpu.Take();
                var summary = Recorder.Merge(recorders, [type]);
                var statements = o.PgLog is { } logFile ? await StatementLog.Count(logFile, logFrom) : [];
                results.Add(new PhaseResult(type, summary.Types.FirstOrDefault(), watch.Elapsed.TotalSeconds, before, after, statements));
                foreach (var f in samples.Take(3)) Console.WriteLine($"phase {type} failure: {f}");
            }
            return results;
        }
    }

    /// <summary>The statements PostgreSQL logged (log_min_duration_statement=0) since an offset of its log, by their first words.</summary>
    public static class StatementLog
    {
        public static async Task<IReadOnlyList<KeyValuePair<string, int>>> Count(string logFile, long from)
        {
            await Task.Delay(200); // the logging collector writes behind
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(from, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            for (string? line; (line = await reader.ReadLineAsync()) is not null;)
            {
                // "duration: 0.123 ms  execute <unnamed>: SELECT ..." or "... statement: BEGIN"; parse and bind are not counted.
                var at = line.IndexOf(" ms  ", StringComparison.Ordinal);
                if (at < 0 || !line.Contains("duration: ", StringComparison.Ordinal)) continue;
                var what = line[(at + 5)..];
                if (what.StartsWith("parse ", StringComparison.Ordinal) || what.StartsWith("bind ", StringComparison.Ordinal)) continue;
                var colon = what.IndexOf(": ", StringComparison.Ordinal);
                var sql = colon < 0 ? what : what[(colon + 2)..];
                // A statement that starts on a new line (Orleans' ADO.NET scripts do) continues on the next lines.
                while (sql.Trim().Length == 0 && await reader.ReadLineAsync() is { } next) sql = next;
                var key = string.Join(' ', sql.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            return counts.OrderByDescending(c => c.Value).ToList();
        }
    }
}
