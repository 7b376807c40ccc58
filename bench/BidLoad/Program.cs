using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Bench;
using Actors.Bench.BidLoad;
using Actors.Bench.MarketLoad;

// The bid storm benchmark (issue 15): BIDDERS agents bid on ONE hot post (a standard auction: no
// instant accept, random prices), beside the same number of bids spread over POSTS posts, round
// after round in one run; then each bidder PATCHes its price once on the hot posts. Every bid is
// answered only once durable (the post's grain writes it before it answers). bench/run-bidding.sh
// starts the stack and runs it; see bench/README.md.
//
//   dotnet bench/BidLoad/bin/Release/net10.0/BidLoad.dll [--url http://127.0.0.1:5280]
//     [--data-dir /tmp/actors-bench-bidding] [--bidders 1000] [--posters 100] [--posts 1000]
//     [--rounds 5] [--warmup 3] [--connections 64] [--setup-concurrency 16] [--idempotency-keys] [--out result.json]
//
// A round is every bidder's one bid: on hot post r (all on one post), or on spread post
// (bidder + r) mod POSTS (one bid per post). Rounds alternate hot, spread, hot, spread… so a
// disturbance of the shared machine falls on both alike; the first --warmup rounds of each warm
// the JIT up and are not counted. A bidder has one live bid per post, so each hot round has a post of its own.
// Afterwards every post's GET …/bids totalBids is compared with the bids acknowledged on it.

LocalStack.InvariantNumbers();
var o = Options.Parse(args);
if (LocalStack.Refusal(o.Url) is { } refused) return refused;
if (o.Posts < o.Rounds + o.Warmup) { Console.Error.WriteLine("--posts must be at least --rounds + --warmup"); return 2; }

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = o.Connections,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
};
using var http = new HttpClient(handler) { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(30) };
var api = new MarketApi(http, o.IdempotencyKeys);
if (await LocalStack.NotReady(http) is { } notReady) return notReady;
var cpu = LocalStack.Cpu(o.Url, o.DataDir);

var setupWatch = Stopwatch.StartNew();
Market market;
try { market = await Setup.Run(api, o); }
catch (SetupFailed e)
{
    Console.Error.WriteLine($"setup failed: {e.Message}");
    return 1;
}
Console.WriteLine($"setup: {o.Bidders} bidders, {o.Posters} posters, {market.HotPosts.Length} hot posts, {market.SpreadPosts.Length} spread posts in {setupWatch.Elapsed.TotalSeconds:0.0} s");

var hot = new Scenario("hot post", "bid");
var spread = new Scenario($"spread over {o.Posts} posts", "bid");
var updates = new Scenario("price updates (hot post)", "update");
var acknowledged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var hotBids = new (string? BidId, long Price)[market.HotPosts.Length][];
for (var round = 1 - o.Warmup; round <= o.Rounds; round++)
{
    var hotPost = market.HotPosts[round + o.Warmup - 1];
    var (hotPhase, bids) = await Storm.Bids(api, market, o, _ => hotPost, acknowledged, cpu);
    hotBids[round + o.Warmup - 1] = bids;
    var r = round + o.Warmup - 1; // ≥ 0: each round's spread posts are its own
    var (spreadPhase, _) = await Storm.Bids(api, market, o, i => market.SpreadPosts[(i + r) % market.SpreadPosts.Length], acknowledged, cpu);
    if (round <= 0)
    {
        Console.WriteLine($"warm-up {round + o.Warmup}: hot {hotPhase.Micros.Count} bids in {hotPhase.Seconds:0.00} s, spread {spreadPhase.Micros.Count} in {spreadPhase.Seconds:0.00} s");
        continue;
    }
    hot.Add(hotPhase);
    spread.Add(spreadPhase);
    Console.WriteLine($"round {round}: hot {hotPhase.Micros.Count / hotPhase.Seconds:0} bids/s, spread {spreadPhase.Micros.Count / spreadPhase.Seconds:0} bids/s");
}
for (var round = 1; round <= o.Rounds; round++)
    updates.Add(await Storm.Updates(api, market, o, market.HotPosts[round + o.Warmup - 1], hotBids[round + o.Warmup - 1], cpu));

var check = await Durability.Check(api, [.. market.HotPosts, .. market.SpreadPosts], acknowledged, o);
Report.Print([hot, spread, updates], check, o);
if (o.Out is { } file)
{
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Report.Json([hot, spread, updates], check, o), new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"written: {file}");
}
return check.Mismatches.Count == 0 ? 0 : 3;

namespace Actors.Bench.BidLoad
{
    public sealed record Options(Uri Url, string DataDir, int Bidders, int Posters, int Posts, int Rounds, int Warmup, int Connections,
        int SetupConcurrency, bool IdempotencyKeys, string? Out)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
                var name = args[i][2..];
                if (name is "idempotency-keys") flags.Add(name);
                else if (i + 1 < args.Length) values[name] = args[++i];
                else throw new ArgumentException($"--{name} needs a value");
            }
            string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
            int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
            return new Options(
                new Uri(Get("url", "http://127.0.0.1:5280")),
                Get("data-dir", Environment.GetEnvironmentVariable("ACTORS_DATA_DIR") ?? "/tmp/actors-bench-bidding"),
                Int("bidders", "1000"), Int("posters", "100"), Int("posts", "1000"), Int("rounds", "5"), Math.Max(1, Int("warmup", "3")), Int("connections", "64"),
                Int("setup-concurrency", "16"), flags.Contains("idempotency-keys"), values.GetValueOrDefault("out"));
        }
    }

    /// <summary>The agents' keys and the posts they bid on: the i-th round run (warm-ups first) bids on <c>HotPosts[i]</c>.</summary>
    public sealed record Market(string[] Bidders, string[] Posters, string[] HotPosts, string[] SpreadPosts);

    public sealed class SetupFailed(string message) : Exception(message);

    public static class Setup
    {
        public const long BudgetCents = 10_000;

        public static async Task<Market> Run(MarketApi api, Options o)
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            var bidders = new string[o.Bidders];
            var posters = new string[o.Posters];
            await Parallel.ForEachAsync(Enumerable.Range(0, o.Bidders + o.Posters), Concurrency(o), async (i, _) =>
            {
                var name = i < o.Bidders ? $"bid-{run}-{i}" : $"poster-{run}-{i - o.Bidders}";
                var key = Field(await Retry(() => api.Register(name)), "agent.apiKey", "register");
                if (i < o.Bidders) bidders[i] = key; else posters[i - o.Bidders] = key;
            });
            var hot = new string[o.Rounds + o.Warmup];
            var spread = new string[o.Posts];
            await Parallel.ForEachAsync(Enumerable.Range(0, hot.Length + spread.Length), Concurrency(o), async (i, _) =>
            {
                var isHot = i < hot.Length;
                var title = isHot ? $"Hot post {run}-{i}" : $"Spread post {run}-{i - hot.Length}";
                var id = Field(await Retry(() => CreatePost(api, posters[i % posters.Length], title)), "jobPost.id", "POST /market/api/agents/jobs");
                if (isHot) hot[i] = id; else spread[i - hot.Length] = id;
            });
            return new Market(bidders, posters, hot, spread);
        }

        // A standard auction (no instant accept, no deadline): every bid stays PENDING, none moves money.
        static Task<Answer> CreatePost(MarketApi api, string posterKey, string title) =>
            api.Send(HttpMethod.Post, "/market/api/agents/jobs", posterKey, new
            {
                title,
                description = "A bid storm benchmark post: bid anything",
                category = "development",
                tags = new[] { "bench", "bidding" },
                budgetCents = BudgetCents,
            }, read: true, keyed: true);

        static ParallelOptions Concurrency(Options o) => new() { MaxDegreeOfParallelism = o.SetupConcurrency };

        // Setup runs before anything is measured: a transient 503 or 429 is waited out, not counted.
        static async Task<Answer> Retry(Func<Task<Answer>> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                var answer = await call();
                if (answer.Ok || attempt == 10 || answer.Status is >= 400 and < 500 and not 429) return answer;
                await Task.Delay(200 * attempt);
            }
        }

        static string Field(Answer answer, string path, string what) =>
            (answer.Ok ? answer.Body.Str(path) : null) ?? throw new SetupFailed($"{what}: {answer.Describe()}");
    }

    /// <summary>One measured burst: its latencies (µs), failures by status, first failures, wall time and the CPU at its two ends.</summary>
    public sealed record Phase(List<long> Micros, Dictionary<string, int> Failures, List<string> Samples, double Seconds, CpuSnapshot Before, CpuSnapshot After);

    public static class Storm
    {
        /// <summary>Every bidder's one bid, <see cref="Options.Connections"/> at a time, on the post <paramref name="postOf"/> names for it.</summary>
        public static async Task<(Phase Phase, (string? BidId, long Price)[] Bids)> Bids(MarketApi api, Market market, Options o,
            Func<int, string> postOf, ConcurrentDictionary<string, int> acknowledged, ProcessCpu cpu)
        {
            var bids = new (string? BidId, long Price)[market.Bidders.Length];
            var phase = await Run(market.Bidders.Length, o.Connections, cpu, async (i, random) =>
            {
                var post = postOf(i);
                var price = random.NextInt64(1_000, Setup.BudgetCents);
                var answer = await api.Send(HttpMethod.Post, $"/market/api/agents/jobs/{post}/bids", market.Bidders[i],
                    new { priceCents = price, message = "I can do this in a day: benchmark bid" }, read: true, keyed: false);
                var bidId = answer.Ok ? answer.Body.Str("bid.id") : null;
                if (bidId is not null)
                {
                    bids[i] = (bidId, price);
                    acknowledged.AddOrUpdate(post, 1, (_, n) => n + 1);
                }
                return (answer, bidId is not null);
            });
            return (phase, bids);
        }

        /// <summary>Every bidder of the post lowers its price once.</summary>
        public static Task<Phase> Updates(MarketApi api, Market market, Options o, string post, (string? BidId, long Price)[] bids, ProcessCpu cpu) =>
            Run(bids.Length, o.Connections, cpu, async (i, random) =>
            {
                if (bids[i].BidId is not { } bidId) return (default, true);
                var price = Math.Max(1, bids[i].Price - random.NextInt64(1, 500));
                var answer = await api.Send(HttpMethod.Patch, $"/market/api/agents/jobs/{post}/bids/{bidId}", market.Bidders[i],
                    new { priceCents = price, message = "Updated proposal: benchmark" }, read: false, keyed: false);
                return (answer, answer.Ok);
            });

        static async Task<Phase> Run(int count, int connections, ProcessCpu cpu, Func<int, Random, Task<(Answer Answer, bool Ok)>> call)
        {
            var micros = new ConcurrentQueue<long>();
            var failures = new ConcurrentDictionary<string, int>();
            var samples = new ConcurrentQueue<string>();
            var next = -1;
            var before = cpu.Take();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(k => Task.Run(async () =>
            {
                var random = new Random(k * 7919 + count);
                for (int i; (i = Interlocked.Increment(ref next)) < count;)
                {
                    var (answer, ok) = await call(i, random);
                    if (answer.Status == 0 && answer.Failure is null) continue; // nothing to send
                    micros.Enqueue(answer.Micros);
                    if (ok) continue;
                    failures.AddOrUpdate(answer.Status == 0 ? "no response" : answer.Status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                    if (samples.Count < 10) samples.Enqueue(answer.Describe().Length > 300 ? answer.Describe()[..300] + "…" : answer.Describe());
                }
            })));
            var seconds = watch.Elapsed.TotalSeconds;
            return new Phase([.. micros], new Dictionary<string, int>(failures), [.. samples], seconds, before, cpu.Take());
        }
    }

    /// <summary>The rounds of one scenario, summed: latencies together, time and CPU added up.</summary>
    public sealed class Scenario(string name, string unit)
    {
        public string Name { get; } = name;
        public string Unit { get; } = unit;
        public List<long> Micros { get; } = [];
        public Dictionary<string, int> Failures { get; } = [];
        public List<string> Samples { get; } = [];
        public double Seconds { get; private set; }
        public double Silo { get; private set; }
        public double Api { get; private set; }
        public double Postgres { get; private set; }
        public double Generator { get; private set; }
        public double MachineBusy { get; private set; }
        public double MachineTotal { get; private set; }

        public void Add(Phase p)
        {
            Micros.AddRange(p.Micros);
            foreach (var (status, n) in p.Failures) Failures[status] = Failures.GetValueOrDefault(status) + n;
            Samples.AddRange(p.Samples.Take(Math.Max(0, 10 - Samples.Count)));
            Seconds += p.Seconds;
            Silo += p.After.Silo - p.Before.Silo;
            Api += p.After.Api - p.Before.Api;
            Postgres += p.After.Postgres - p.Before.Postgres;
            Generator += p.After.Generator - p.Before.Generator;
            MachineBusy += p.After.MachineBusy - p.Before.MachineBusy;
            MachineTotal += p.After.MachineTotal - p.Before.MachineTotal;
        }

        public int Count => Micros.Count;
        public int Failed => Failures.Values.Sum();
        public double PerSecond => Seconds == 0 ? 0 : Count / Seconds;

        public double Percentile(double p)
        {
            if (Micros.Count == 0) return 0;
            var sorted = Micros.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)] / 1000.0;
        }

        public double MicrosPer(double seconds) => Count == 0 ? 0 : seconds / Count * 1e6;
    }

    public sealed record DurabilityCheck(int Posts, long Acknowledged, long Listed, List<string> Mismatches);

    /// <summary>Every acknowledged bid is there: each post's GET …/bids totalBids equals the bids acknowledged on it.</summary>
    public static class Durability
    {
        public static async Task<DurabilityCheck> Check(MarketApi api, string[] posts, ConcurrentDictionary<string, int> acknowledged, Options o)
        {
            var mismatches = new ConcurrentQueue<string>();
            long listed = 0;
            await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = o.SetupConcurrency }, async (post, _) =>
            {
                var answer = await api.Send(HttpMethod.Get, $"/market/api/agents/jobs/{post}/bids", null, null, read: true, keyed: false);
                var total = answer.Ok && answer.Body.TryGetProperty("totalBids", out var t) ? t.GetInt32() : -1;
                Interlocked.Add(ref listed, Math.Max(0, total));
                if (total != acknowledged.GetValueOrDefault(post)) mismatches.Enqueue($"{post}: acknowledged {acknowledged.GetValueOrDefault(post)}, listed {total} ({answer.Status})");
            });
            return new DurabilityCheck(posts.Length, acknowledged.Values.Sum(), listed, [.. mismatches]);
        }
    }

    public static class Report
    {
        public static void Print(IReadOnlyList<Scenario> scenarios, DurabilityCheck check, Options o)
        {
            Console.WriteLine();
            Console.WriteLine($"== bid storm: {o.Bidders} bidders, {o.Connections} connections, {o.Rounds} measured rounds per scenario" +
                (o.IdempotencyKeys ? ", bids with Idempotency-Key" : ""));
            Console.WriteLine($"{"scenario",-26} {"count",7} {"seconds",8} {"per s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6}   cpu per request (us): {"silo",5} {"api",5} {"pg",5} {"stack",5} {"gen",5}");
            foreach (var s in scenarios)
            {
                Console.WriteLine($"{s.Name,-26} {s.Count,7} {s.Seconds,8:0.00} {s.PerSecond,8:0} {s.Percentile(50),7:0.0} {s.Percentile(95),7:0.0} {s.Percentile(99),7:0.0} {s.Percentile(100),7:0.0} {s.Failed,6}   " +
                    $"                      {s.MicrosPer(s.Silo),5:0} {s.MicrosPer(s.Api),5:0} {s.MicrosPer(s.Postgres),5:0} {s.MicrosPer(s.Silo + s.Api + s.Postgres),5:0} {s.MicrosPer(s.Generator),5:0}" +
                    (s.Failed == 0 ? "" : "  (" + string.Join(", ", s.Failures.Select(f => $"{f.Key}: {f.Value}")) + ")"));
            }
            foreach (var s in scenarios)
                Console.WriteLine($"machine during {s.Name}: busy {s.MachineBusy:0.0} of {s.MachineTotal:0.0} core-seconds; the stack {s.Silo + s.Api + s.Postgres:0.0}, the generator {s.Generator:0.0}, " +
                    $"other processes {Math.Max(0, s.MachineBusy - s.Silo - s.Api - s.Postgres - s.Generator):0.0}");
            Console.WriteLine($"durable: {check.Listed} bids listed on {check.Posts} posts, {check.Acknowledged} acknowledged" +
                (check.Mismatches.Count == 0 ? " (every post matches)" : $"; {check.Mismatches.Count} posts differ: {string.Join("; ", check.Mismatches.Take(5))}"));
            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            foreach (var s in scenarios.Where(s => s.Samples.Count > 0))
            {
                Console.WriteLine($"first failures ({s.Name}):");
                foreach (var f in s.Samples) Console.WriteLine("  " + f);
            }
        }

        public static object Json(IReadOnlyList<Scenario> scenarios, DurabilityCheck check, Options o) => new
        {
            o.Bidders, o.Posters, o.Posts, o.Rounds, o.Connections, o.IdempotencyKeys,
            scenarios = scenarios.Select(s => new
            {
                s.Name, s.Unit, requests = s.Count, seconds = Math.Round(s.Seconds, 3), perSecond = Math.Round(s.PerSecond, 1),
                p50Ms = s.Percentile(50), p95Ms = s.Percentile(95), p99Ms = s.Percentile(99), maxMs = s.Percentile(100),
                errors = s.Failed, failures = s.Failures, firstFailures = s.Samples,
                cpuSeconds = new { silo = s.Silo, api = s.Api, postgres = s.Postgres, generator = s.Generator, machineBusy = s.MachineBusy, machineTotal = s.MachineTotal },
                cpuMicrosPerRequest = new
                {
                    silo = Math.Round(s.MicrosPer(s.Silo), 1), api = Math.Round(s.MicrosPer(s.Api), 1), postgres = Math.Round(s.MicrosPer(s.Postgres), 1),
                    stack = Math.Round(s.MicrosPer(s.Silo + s.Api + s.Postgres), 1), generator = Math.Round(s.MicrosPer(s.Generator), 1),
                },
            }),
            durable = new { check.Posts, check.Acknowledged, check.Listed, mismatches = check.Mismatches },
        };
    }
}
