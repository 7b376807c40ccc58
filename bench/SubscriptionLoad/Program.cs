using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Bench;
using Actors.Bench.MarketLoad;
using Actors.Bench.SubscriptionLoad;
using Npgsql;

// The subscriptions benchmark (issue 16): SUBSCRIBERS × PER_SUBSCRIBER active subscriptions with a
// 1-hour interval on one silo, against the stack ./run started with a compressed hour
// (Subscriptions__HourLength, e.g. 00:02:00). bench/run-subscriptions.sh starts the stack and runs it;
// see bench/README.md.
//
//   dotnet bench/SubscriptionLoad/bin/Release/net10.0/SubscriptionLoad.dll [--url http://127.0.0.1:5480]
//     [--data-dir /tmp/actors-bench-subscriptions] [--pg-port 55732] [--hour-length 00:02:00]
//     [--providers 50] [--services-per-provider 20] [--subscribers 100] [--per-subscriber 100]
//     [--price 100] [--concurrency 32] [--setup-concurrency 16] [--rounds 3] [--completed-percent 90]
//     [--report-concurrency 8] [--sample-seconds 10] [--idle-seconds 10] [--pace interval|none] [--out result.json]
//
// 1. Setup over HTTP: providers, each listing SUBSCRIPTION services (runIntervalHours 1); subscribers,
//    each wallet funded with exactly its first month; then every subscription POSTed (Idempotency-Key,
//    at most --concurrency at a time), paced evenly over one interval (--pace interval: the runs then
//    arrive at a steady count / interval per second, 83/s for 10,000 in a 2-minute hour) or as fast as
//    they are answered (--pace none: the runs come in bursts at the subscribe rate): subscribe/s,
//    p50/p99, errors, CPU per subscribe.
// 2. Observation for --rounds intervals after the last subscription: new RUNNING runs are read from
//    PostgreSQL every second and --completed-percent of them PATCHed COMPLETED by their provider
//    through the API; the rest are left to become MISSED at the next slot. Every --sample-seconds the
//    silo's RSS (/proc) and its SubscriptionGrain activations (IManagementGrain through an Orleans client).
// 3. Figures from PostgreSQL: for each of the first --rounds slots of every subscription, exactly one
//    run (slots with none, with more, runs off the slot grid), the lag started_at − scheduled_at,
//    MISSED as expected, the CPU per run over the observation window.

LocalStack.InvariantNumbers();
var o = Options.Parse(args);
if (LocalStack.Refusal(o.Url) is { } refused) return refused;
if (o.Subscriptions > o.Services * 1000) { Console.Error.WriteLine("more than 1,000 subscriptions per service is not what this measures"); return 2; }

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = Math.Max(o.Concurrency, o.SetupConcurrency) + o.ReportConcurrency,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
};
using var http = new HttpClient(handler) { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(30) };
var api = new MarketApi(http, idempotencyKeys: true);
if (await LocalStack.NotReady(http) is { } notReady) return notReady;
var cpu = LocalStack.Cpu(o.Url, o.DataDir, $"; one hour lasts {o.HourLength}");

var connectionString = Database.ConnectionString(o);
await using var db = NpgsqlDataSource.Create(connectionString);
await using var silo = await SiloProbe.Start(o, connectionString);
using var samples = new Sampler(o, silo, db);
samples.Start();

// The stack's own background work (sweep, dashboard, membership, outbox polls) before anything is
// asked of it: the per-run CPU is also given net of it.
var idleBefore = cpu.Take();
await Task.Delay(TimeSpan.FromSeconds(o.IdleSeconds));
var idle = new Idle(o.IdleSeconds, idleBefore, cpu.Take());

var setupWatch = Stopwatch.StartNew();
Market market;
try { market = await Setup.Run(api, o); }
catch (SetupFailed e)
{
    Console.Error.WriteLine($"setup failed: {e.Message}");
    return 1;
}
Console.WriteLine($"setup: {o.Providers} providers with {market.Services.Length} services, {o.Subscribers} subscribers funded, in {setupWatch.Elapsed.TotalSeconds:0.0} s");
samples.Mark("subscribing");

var subscribing = await Subscribing.Run(api, market, o, cpu);
Console.WriteLine($"subscribed: {subscribing.Created.Count} of {o.Subscriptions} in {subscribing.Seconds:0.0} s ({subscribing.Created.Count / subscribing.Seconds:0} /s), {subscribing.Failed} failed");
if (subscribing.Created.Count == 0)
{
    foreach (var failure in subscribing.FirstFailures) Console.WriteLine("  failure: " + failure);
    return 1;
}
samples.Mark("observing");

var observation = await Observation.Run(api, db, subscribing, o, cpu, samples);
samples.Mark("figures");
var figures = await Figures.Read(db, subscribing, observation, o);
Report.Print(idle, subscribing, observation, figures, samples, o);
if (o.Out is { } file)
{
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Report.Json(idle, subscribing, observation, figures, samples, o), new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"written: {file}");
}
return figures.Sound ? 0 : 3;

namespace Actors.Bench.SubscriptionLoad
{
    public sealed record Options(Uri Url, string DataDir, int PgPort, TimeSpan HourLength, int Providers, int ServicesPerProvider,
        int Subscribers, int PerSubscriber, long PriceCents, int Concurrency, int SetupConcurrency, int Rounds, int CompletedPercent,
        int ReportConcurrency, int SampleSeconds, int IdleSeconds, bool Paced, string? Out)
    {
        public int Services => Providers * ServicesPerProvider;
        public int Subscriptions => Subscribers * PerSubscriber;

        /// <summary>runIntervalHours 1: one compressed hour.</summary>
        public TimeSpan Interval => HourLength;

        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                values[args[i][2..]] = args[++i];
            }
            string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
            int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
            var o = new Options(
                new Uri(Get("url", "http://127.0.0.1:5480")),
                Get("data-dir", Environment.GetEnvironmentVariable("ACTORS_DATA_DIR") ?? "/tmp/actors-bench-subscriptions"),
                Int("pg-port", "55732"),
                TimeSpan.Parse(Get("hour-length", "00:02:00"), CultureInfo.InvariantCulture),
                Int("providers", "50"), Int("services-per-provider", "20"), Int("subscribers", "100"), Int("per-subscriber", "100"),
                long.Parse(Get("price", "100"), CultureInfo.InvariantCulture),
                Int("concurrency", "32"), Int("setup-concurrency", "16"), Int("rounds", "3"), Int("completed-percent", "90"),
                Int("report-concurrency", "8"), Int("sample-seconds", "10"), Int("idle-seconds", "10"),
                Get("pace", "interval") switch { "interval" => true, "none" => false, var p => throw new ArgumentException($"--pace interval|none, not {p}") },
                values.GetValueOrDefault("out"));
            if (o.ServicesPerProvider is < 1 or > 20) throw new ArgumentException("--services-per-provider: an agent lists 1 to 20 services");
            if (o.CompletedPercent is < 0 or > 100) throw new ArgumentException("--completed-percent: 0 to 100");
            if (o.Rounds < 1 || o.HourLength <= TimeSpan.Zero) throw new ArgumentException("--rounds and --hour-length must be positive");
            return o;
        }
    }

    /// <summary>The stack's CPU over --idle-seconds with nothing to do, before the setup.</summary>
    public sealed record Idle(int Seconds, CpuSnapshot Before, CpuSnapshot After);

    public sealed class SetupFailed(string message) : Exception(message);
}
