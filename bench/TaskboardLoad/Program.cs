using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Bench;
using Actors.Bench.MarketLoad;
using Actors.Bench.TaskboardLoad;

// The taskboard benchmark (issue 17): 1,000 agents polling, beside the raw grain-read ceiling
// measured in the same run, then claim → deliver → approve lifecycles. bench/run-taskboard.sh
// starts the stack (with the per-agent poll limit raised) and runs it; see bench/README.md.
//
//   dotnet bench/TaskboardLoad/bin/Release/net10.0/TaskboardLoad.dll [--url http://127.0.0.1:5580]
//     [--data-dir /tmp/actors-bench-taskboard] [--pg-port 55832] [--agents 1000] [--tasks 500]
//     [--connections 64] [--duration 30] [--slices 3] [--warmup 5] [--workers 32] [--lifecycle-duration 30]
//     [--reward 1] [--deposit 20000] [--setup-concurrency 16] [--idempotency-keys] [--diagnose] [--out result.json]
//
// Setup over HTTP: one client signs up by magic link (the link from the stack's mail drop folder),
// funds its wallet by a deposit checkout, mints a registration token per agent, each agent
// connects (capabilities spread over the eight), and the client posts --tasks tasks.
// --diagnose adds two variants of the poll to phase 1 (without the key; without the key and the
// agentId), measured in the same slices: where the poll's cost goes.
// Phase 1 (Polling.cs), phase 2 (Lifecycles.cs), then the checks (Checks.cs): exit code 3 when
// something does not add up.

LocalStack.InvariantNumbers();
var o = Options.Parse(args);
if (LocalStack.Refusal(o.Url) is { } refused) return refused;

HttpClient Http(int connections, string? cookie = null)
{
    var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        AllowAutoRedirect = false,
    };
    var http = new HttpClient(handler) { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(30) };
    if (cookie is not null)
    {
        // The client's session JSON calls: its cookie, and this site's Origin (a foreign one is refused).
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        http.DefaultRequestHeaders.Add("Origin", o.Url.GetLeftPart(UriPartial.Authority));
    }
    return http;
}

using var agentHttp = Http(Math.Max(o.Connections, Math.Max(o.Workers, o.SetupConcurrency)));
if (await LocalStack.NotReady(agentHttp) is { } notReady) return notReady;
var cpu = LocalStack.Cpu(o.Url, o.DataDir);

var run = Guid.NewGuid().ToString("N")[..8];
var setupWatch = Stopwatch.StartNew();
Board board;
TaskboardApi api;
HttpClient clientHttp;
try
{
    var email = $"tb-client-{run}@bench.example.com";
    var cookie = await SignUp.SessionCookie(o.Url, Path.Combine(o.DataDir, "mail"), email);
    clientHttp = Http(Math.Max(o.Workers, o.SetupConcurrency), cookie);
    api = new TaskboardApi(new MarketApi(agentHttp, false), new MarketApi(clientHttp, false), o.IdempotencyKeys);
    var userId = (await api.Wallet()).Body.Str("wallet.userId") ?? throw new SetupFailed("GET client/wallet answered no userId");
    board = await Setup.Run(api, new ClientSession(email, cookie, userId), o, run);
}
catch (SetupFailed e)
{
    Console.Error.WriteLine($"setup failed: {e.Message}");
    return 1;
}
Console.WriteLine($"setup: client {board.Client.UserId} funded with {board.DepositedCents / 100m} USDC, {board.Agents.Length} agents connected, " +
    $"{board.OpenTasks.Length} tasks posted in {setupWatch.Elapsed.TotalSeconds:0.0} s");

// What the measured calls answer, once, before anything is measured: a poll finds tasks, a read finds one OPEN.
var sample = await api.Poll(board.Agents[0].ApiKey, board.Agents[0].Handle, read: true);
var read = await api.ReadTask(board.OpenTasks[0], read: true);
var found = sample.Body.TryGetProperty("tasks", out var list) ? list.GetArrayLength() : -1;
Console.WriteLine($"a poll of {board.Agents[0].Handle} ({string.Join(",", board.Agents[0].Capabilities)}): {sample.Status}, {found} tasks, total {sample.Body.Num("pagination.total")}; " +
    $"a read of {board.OpenTasks[0]}: {read.Status} {read.Body.Str("task.status")}");
if (!sample.Ok || found <= 0 || !read.Ok || read.Body.Str("task.status") != "OPEN")
{
    Console.Error.WriteLine($"the poll or the read does not answer as the seed says: {sample.Describe()} / {read.Describe()}");
    return 1;
}

var (ceiling, poll, diagnosis) = await Polling.Run(api, board, o, cpu);
var life = await Lifecycles.Run(api, board, o, cpu, run);
var check = await Checks.Run(api, board, life, o);
Report.Print(ceiling, poll, diagnosis, life, check, board, o);
if (o.Out is { } file)
{
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Report.Json(ceiling, poll, diagnosis, life, check, board, o), new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"written: {file}");
}
clientHttp.Dispose();
return check.Problems.Count == 0 ? 0 : 3;

namespace Actors.Bench.TaskboardLoad
{
    public sealed record Options(Uri Url, string DataDir, int PgPort, int Agents, int Tasks, int Connections, int DurationSeconds, int Slices,
        int WarmupSeconds, int Workers, int LifecycleSeconds, decimal RewardUsdc, decimal DepositUsdc, int SetupConcurrency, bool IdempotencyKeys, bool Diagnose, string? Out)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
                var name = args[i][2..];
                if (name is "idempotency-keys" or "diagnose") flags.Add(name);
                else if (i + 1 < args.Length) values[name] = args[++i];
                else throw new ArgumentException($"--{name} needs a value");
            }
            string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
            int Int(string name, string fallback) => int.Parse(Get(name, fallback).TrimEnd('s'), CultureInfo.InvariantCulture);
            decimal Dec(string name, string fallback) => decimal.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
            return new Options(
                new Uri(Get("url", "http://127.0.0.1:5580")),
                Get("data-dir", Environment.GetEnvironmentVariable("ACTORS_DATA_DIR") ?? "/tmp/actors-bench-taskboard"),
                Int("pg-port", "55832"), Int("agents", "1000"), Int("tasks", "500"), Int("connections", "64"),
                Int("duration", "30"), Math.Max(1, Int("slices", "3")), Int("warmup", "5"), Int("workers", "32"), Int("lifecycle-duration", "30"),
                Dec("reward", "1"), Dec("deposit", "20000"), Int("setup-concurrency", "16"), flags.Contains("idempotency-keys"), flags.Contains("diagnose"), values.GetValueOrDefault("out"));
        }
    }
}
