using Actors.Bench;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Actors.Bench.WebhookLoad;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

// The webhook delivery benchmark (issue 14): EVENTS outbox events to RECEIVERS local receivers
// (most fast, a few slow, one down), against the stack ./run started with
// Webhooks__AllowPrivateNetworks=true. bench/run-webhooks.sh runs it; see bench/README.md.
//
//   dotnet bench/WebhookLoad/bin/Release/net10.0/WebhookLoad.dll [--url http://127.0.0.1:5080]
//     [--data-dir .data] [--pg-port 55432] [--receivers 100] [--slow 5] [--down 1]
//     [--events-per-receiver 100] [--slow-ms 2000] [--timeout 180] [--order interleaved|by-agent]
//     [--out result.json]
//
// Starts the receivers (Kestrel on 127.0.0.1, one port each; a down receiver is a port nothing
// listens on), registers one agent per receiver and its webhook, writes all events straight
// into webhook_events with one INSERT (as WebhookOutbox does), then waits until every fast and
// slow receiver got all its events (or --timeout) and reports: time to the last fast / slow
// delivery, events/s, insert → receipt latency per receiver class, that the signatures verify,
// the attempts made to the down receiver, and the CPU of silo, API and PostgreSQL over the window.
// --order by-agent writes each agent's events together (the outbox's due order then holds one
// agent's backlog first); interleaved (the default) writes them round-robin, as concurrent
// operations of many agents would.

LocalStack.InvariantNumbers();
var o = Options.Parse(args);
if (LocalStack.Refusal(o.Url) is { } refused) return refused;
if (o.Slow + o.Down > o.Receivers) { Console.Error.WriteLine("--slow + --down exceed --receivers"); return 2; }

using var http = new HttpClient { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(30) };
if (await LocalStack.NotReady(http) is { } notReady) return notReady;
var cpu = LocalStack.Cpu(o.Url, o.DataDir);

var run = Guid.NewGuid().ToString("N")[..8];
var clock = Stopwatch.StartNew(); // every receipt time is read from this one clock
var receivers = new Receiver[o.Receivers];
for (var i = 0; i < o.Receivers; i++)
    receivers[i] = new Receiver(i, i < o.Receivers - o.Slow - o.Down ? Kind.Fast : i < o.Receivers - o.Down ? Kind.Slow : Kind.Down);

// ---------------------------------------------------------------------------- receivers
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    foreach (var r in receivers.Where(r => r.Kind != Kind.Down)) k.Listen(IPAddress.Loopback, 0);
    k.Limits.MaxConcurrentConnections = null;
});
var app = builder.Build();
var byPort = new ConcurrentDictionary<int, Receiver>();
long foreign = 0;
app.Run(async context =>
{
    var at = clock.Elapsed.TotalMilliseconds;
    if (!byPort.TryGetValue(context.Connection.LocalPort, out var r)) { context.Response.StatusCode = 404; return; }
    using var ms = new MemoryStream();
    await context.Request.Body.CopyToAsync(ms);
    var body = ms.ToArray();
    var id = context.Request.Headers["webhook-id"].ToString();
    if (!id.StartsWith($"msg_{run}_", StringComparison.Ordinal)) Interlocked.Increment(ref foreign); // an earlier run's retry
    else r.Receive(id, at, Signed(context.Request.Headers, body, r.SecretKey));
    if (r.Kind == Kind.Slow) await Task.Delay(o.SlowMs);
    context.Response.StatusCode = 200;
});
await app.StartAsync();
var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
    .Select(a => new Uri(a).Port).ToArray();
var listening = receivers.Where(r => r.Kind != Kind.Down).ToArray();
for (var i = 0; i < listening.Length; i++) { listening[i].Port = ports[i]; byPort[ports[i]] = listening[i]; }
foreach (var r in receivers.Where(r => r.Kind == Kind.Down)) r.Port = FreePort(); // bound, then closed: nothing listens
Console.WriteLine($"receivers: {receivers.Count(r => r.Kind == Kind.Fast)} fast, {receivers.Count(r => r.Kind == Kind.Slow)} slow ({o.SlowMs} ms), {receivers.Count(r => r.Kind == Kind.Down)} down, on 127.0.0.1");

// ---------------------------------------------------------------------------- agents and webhooks
var setup = Stopwatch.StartNew();
await Parallel.ForEachAsync(receivers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, _) =>
{
    var reg = await Retry(() => Post("/market/api/agents/register", null, new { name = $"wh-{run}-{r.Index}", description = "Webhook benchmark agent" }));
    r.ApiKey = reg.GetProperty("agent").GetProperty("apiKey").GetString()!;
    r.AgentId = reg.GetProperty("agent").GetProperty("id").GetString()!;
    var hook = await Retry(() => Post("/market/api/agents/me/webhooks", r.ApiKey, new { webhookUrl = $"http://127.0.0.1:{r.Port}/hook" }));
    r.SecretKey = Convert.FromBase64String(hook.GetProperty("secret").GetString()!["whsec_".Length..]);
});
Console.WriteLine($"setup: {receivers.Length} agents registered with webhooks in {setup.Elapsed.TotalSeconds:0.0} s");

// ---------------------------------------------------------------------------- the insert
var secrets = File.ReadAllLines(Path.Combine(o.DataDir, "secrets.env")).Where(l => l.Contains('=') && !l.StartsWith('#'))
    .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
var connection = $"Host=127.0.0.1;Port={o.PgPort};Database=actors;Username={secrets["PG_APP_USER"]};Password={secrets["PG_APP_PASSWORD"]}";
await using var db = NpgsqlDataSource.Create(connection);

var rows = new List<(string Id, string Agent, string Body)>(o.Receivers * o.EventsPerReceiver);
var nowText = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
if (o.Order == "by-agent")
    foreach (var r in receivers) for (var n = 0; n < o.EventsPerReceiver; n++) rows.Add(Row(r, n));
else
    for (var n = 0; n < o.EventsPerReceiver; n++) foreach (var r in receivers) rows.Add(Row(r, n));
(string, string, string) Row(Receiver r, int n)
{
    var body = JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["event"] = "bench.event", ["data"] = new { run, n }, ["timestamp"] = nowText, ["jobId"] = null, ["agentId"] = r.AgentId,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    return ($"msg_{run}_{r.Index:000}_{n:000}", r.AgentId, body);
}

// Statement order = due order among equal created_at (the btree breaks ties by heap position).
const string insertSql = """
    INSERT INTO webhook_events (event_id, agent_id, event, job_id, body, created_at)
    SELECT id, agent, 'bench.event', NULL, body, now() FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(id, agent, body, nth)
    ORDER BY nth
    """;
await using var insert = db.CreateCommand(insertSql);
insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(x => x.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(x => x.Agent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(x => x.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

DateTime wallStart;
await using (var c = await db.OpenConnectionAsync()) { } // open the pool before the clock starts
var cpuBefore = cpu.Take();
var t0 = clock.Elapsed.TotalMilliseconds;
wallStart = DateTime.UtcNow;
var inserted = await insert.ExecuteNonQueryAsync();
var insertMs = clock.Elapsed.TotalMilliseconds - t0;
Console.WriteLine($"insert: {inserted} events in one INSERT, {insertMs:0} ms");

// ---------------------------------------------------------------------------- wait
var expected = receivers.Where(r => r.Kind != Kind.Down).ToArray();
var fastDoneAt = double.NaN;
CpuSnapshot? cpuFastDone = null;
var deadline = t0 + o.TimeoutSeconds * 1000.0;
while (clock.Elapsed.TotalMilliseconds < deadline)
{
    if (double.IsNaN(fastDoneAt) && expected.Where(r => r.Kind == Kind.Fast).All(r => r.Unique >= o.EventsPerReceiver))
    {
        fastDoneAt = clock.Elapsed.TotalMilliseconds;
        cpuFastDone = cpu.Take();
    }
    if (expected.All(r => r.Unique >= o.EventsPerReceiver)) break;
    await Task.Delay(20);
}
var cpuAfter = cpu.Take();
var windowEnd = clock.Elapsed.TotalMilliseconds;
await Task.Delay(500); // late duplicates, if any, would show here

// ---------------------------------------------------------------------------- the database's view
var agentIds = receivers.Select(r => r.AgentId).ToArray();
var attemptsByAgent = new Dictionary<string, (long Attempts, long Ok)>();
await using (var q = db.CreateCommand("""
    SELECT agent_id, count(*), count(*) FILTER (WHERE status_code BETWEEN 200 AND 299) FROM webhook_deliveries
    WHERE agent_id = ANY($1) AND event_id LIKE $2 GROUP BY agent_id
    """))
{
    q.Parameters.Add(new NpgsqlParameter { Value = agentIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    q.Parameters.Add(new NpgsqlParameter { Value = $"msg_{run}_%", NpgsqlDbType = NpgsqlDbType.Text });
    await using var rd = await q.ExecuteReaderAsync();
    while (await rd.ReadAsync()) attemptsByAgent[rd.GetString(0)] = (rd.GetInt64(1), rd.GetInt64(2));
}
var statuses = new SortedDictionary<string, long>();
await using (var q = db.CreateCommand("SELECT status, count(*) FROM webhook_events WHERE event_id LIKE $1 GROUP BY status"))
{
    q.Parameters.Add(new NpgsqlParameter { Value = $"msg_{run}_%", NpgsqlDbType = NpgsqlDbType.Text });
    await using var rd = await q.ExecuteReaderAsync();
    while (await rd.ReadAsync()) statuses[rd.GetString(0)] = rd.GetInt64(1);
}

// ---------------------------------------------------------------------------- report
var fast = receivers.Where(r => r.Kind == Kind.Fast).ToArray();
var slow = receivers.Where(r => r.Kind == Kind.Slow).ToArray();
var down = receivers.Where(r => r.Kind == Kind.Down).ToArray();
double Last(IEnumerable<Receiver> rs) => rs.SelectMany(r => r.Latencies).DefaultIfEmpty(double.NaN).Max() - t0;
var fastLat = fast.SelectMany(r => r.Latencies).Select(x => x - t0).Order().ToArray();
var slowLat = slow.SelectMany(r => r.Latencies).Select(x => x - t0).Order().ToArray();
var lastFast = Last(fast);
var lastAny = Last(fast.Concat(slow));
var delivered = fast.Concat(slow).Sum(r => r.Unique);
var fastOk = fast.Count(r => r.Unique == o.EventsPerReceiver);
var slowOk = slow.Count(r => r.Unique == o.EventsPerReceiver);
var badSig = receivers.Sum(r => r.BadSignatures);
var dupes = receivers.Sum(r => r.Duplicates);
var downAttempts = down.Sum(r => attemptsByAgent.GetValueOrDefault(r.AgentId).Attempts);
var totalAttempts = attemptsByAgent.Values.Sum(v => v.Attempts);
var windowS = (windowEnd - t0) / 1000;
var silo = cpuAfter.Silo - cpuBefore.Silo; var apiCpu = cpuAfter.Api - cpuBefore.Api; var pg = cpuAfter.Postgres - cpuBefore.Postgres;
var gen = cpuAfter.Generator - cpuBefore.Generator;
var machineBusy = (cpuAfter.MachineBusy - cpuBefore.MachineBusy) / Math.Max(1e-9, cpuAfter.MachineTotal - cpuBefore.MachineTotal);
static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
// Fast events received while a slow receiver was still being served: the fast path did not wait on it.
var slowFirstDone = slow.Length == 0 ? double.NaN : slow.Min(r => r.Latencies.DefaultIfEmpty(double.NaN).Max()) - t0;

var lines = new List<string>
{
    $"run: {run}, order {o.Order}, {o.Receivers * o.EventsPerReceiver} events ({o.EventsPerReceiver} per receiver), inserted at {wallStart:HH:mm:ss.fff}Z in {insertMs:0} ms",
    $"fast: {fastOk}/{fast.Length} receivers got all {o.EventsPerReceiver}; last fast delivery {lastFast / 1000:0.00} s after the insert; {fast.Sum(r => r.Unique) / (lastFast / 1000):0} events/s to the fast receivers",
    $"slow: {slowOk}/{slow.Length} receivers got all {o.EventsPerReceiver}; last slow delivery {(slow.Length == 0 ? "-" : (Last(slow) / 1000).ToString("0.00"))} s (the first slow receiver finished at {(double.IsNaN(slowFirstDone) ? "-" : (slowFirstDone / 1000).ToString("0.00"))} s)",
    $"delivered: {delivered} events (fast + slow) in {lastAny / 1000:0.00} s: {delivered / (lastAny / 1000):0} events/s",
    $"latency insert -> receipt (ms): fast p50 {P(fastLat, 0.5):0} p90 {P(fastLat, 0.9):0} p99 {P(fastLat, 0.99):0} max {P(fastLat, 1):0}; slow p50 {P(slowLat, 0.5):0} p90 {P(slowLat, 0.9):0} p99 {P(slowLat, 0.99):0} max {P(slowLat, 1):0} (receipt = the request arriving, before the slow answer)",
    $"signatures: {receivers.Sum(r => r.Received) - badSig} verified (webhook-id, webhook-timestamp, webhook-signature v1 HMAC), {badSig} missing or wrong; duplicates {dupes}; from earlier runs {foreign}",
    $"down: {downAttempts} attempts to the down receiver's {down.Length * o.EventsPerReceiver} events in the window (connection refused; the schedule retries at once, then after 5 s, then 5 min)",
    $"outbox: {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}; attempts recorded {totalAttempts} ({attemptsByAgent.Values.Sum(v => v.Ok)} 2xx)",
    $"window: {windowS:0.00} s (insert -> all fast and slow delivered{(expected.All(r => r.Unique >= o.EventsPerReceiver) ? "" : ", TIMED OUT")}); machine busy {machineBusy * 100:0}% of {Environment.ProcessorCount} cores",
    $"cpu seconds: silo {silo:0.00}, api {apiCpu:0.00}, postgres {pg:0.00}, generator+receivers {gen:0.00}",
    cpuFastDone is { } fd
        ? $"cpu until the fast were done ({(fastDoneAt - t0) / 1000:0.00} s, {FastWindowDelivered()} delivered by then): silo {fd.Silo - cpuBefore.Silo:0.00}, api {fd.Api - cpuBefore.Api:0.00}, postgres {fd.Postgres - cpuBefore.Postgres:0.00} s; stack per delivery {(fd.Silo + fd.Api + fd.Postgres - cpuBefore.Silo - cpuBefore.Api - cpuBefore.Postgres) * 1000 / FastWindowDelivered():0.000} ms"
        : "cpu until the fast were done: (they were not)",
    $"cpu per delivery (ms, whole window): silo {silo * 1000 / delivered:0.000}, api {apiCpu * 1000 / delivered:0.000}, postgres {pg * 1000 / delivered:0.000}, stack {(silo + apiCpu + pg) * 1000 / delivered:0.000}; per attempt (incl. the down one's) stack {(silo + apiCpu + pg) * 1000 / Math.Max(1, totalAttempts):0.000}",
};
foreach (var l in lines) Console.WriteLine(l);
int FastWindowDelivered() => fast.Concat(slow).Sum(r => r.Latencies.Count(x => x <= fastDoneAt));
if (o.Out is { } file)
{
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
    {
        run, o.Order, events = o.Receivers * o.EventsPerReceiver, insertMs, lastFastMs = lastFast, lastAnyMs = lastAny, delivered,
        eventsPerSecond = delivered / (lastAny / 1000), fastOk, slowOk,
        fast = new { p50 = P(fastLat, 0.5), p90 = P(fastLat, 0.9), p99 = P(fastLat, 0.99), max = P(fastLat, 1) },
        slow = new { p50 = P(slowLat, 0.5), p90 = P(slowLat, 0.9), p99 = P(slowLat, 0.99), max = P(slowLat, 1) },
        badSig, dupes, foreign, downAttempts, totalAttempts, statuses,
        cpu = new { silo, api = apiCpu, postgres = pg, generator = gen, machineBusy },
        perReceiver = receivers.Select(r => new { r.Index, kind = r.Kind.ToString(), r.Unique, attempts = attemptsByAgent.GetValueOrDefault(r.AgentId).Attempts, last = r.Latencies.DefaultIfEmpty(double.NaN).Max() - t0 }),
    }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    Console.WriteLine($"written: {file}");
}

// Clean up: removing the webhooks settles what is still pending (the down receiver's retries), so
// a later run's receiver on a reused port never gets this run's events.
await Parallel.ForEachAsync(receivers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, _) =>
{
    using var req = new HttpRequestMessage(HttpMethod.Delete, "/market/api/agents/me/webhooks");
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", r.ApiKey);
    using var _r = await http.SendAsync(req);
});
await app.StopAsync();
return fastOk == fast.Length && badSig == 0 ? 0 : 1;

// ---------------------------------------------------------------------------- helpers
async Task<JsonElement> Post(string path, string? key, object body)
{
    using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
    if (key is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    using var res = await http.SendAsync(req);
    var text = await res.Content.ReadAsStringAsync();
    if (!res.IsSuccessStatusCode) throw new HttpRequestException($"{path}: {(int)res.StatusCode} {text}", null, res.StatusCode);
    return JsonDocument.Parse(text).RootElement.Clone();
}

static async Task<JsonElement> Retry(Func<Task<JsonElement>> call)
{
    for (var attempt = 1; ; attempt++)
    {
        try { return await call(); }
        catch (HttpRequestException e) when (attempt < 10 && e.StatusCode is null or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        { await Task.Delay(300 * attempt); }
    }
}

static bool Signed(IHeaderDictionary h, byte[] body, byte[]? key)
{
    var id = h["webhook-id"].ToString(); var ts = h["webhook-timestamp"].ToString(); var sig = h["webhook-signature"].ToString();
    if (key is null || id.Length == 0 || ts.Length == 0 || sig.Length == 0) return false;
    var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{ts}."), .. body]));
    return sig.Split(' ').Contains(expected);
}

static int FreePort()
{
    var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    l.Start(); var port = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop();
    return port;
}

namespace Actors.Bench.WebhookLoad
{
    public enum Kind { Fast, Slow, Down }

    public sealed class Receiver(int index, Kind kind)
    {
        readonly ConcurrentDictionary<string, double> _seen = new();
        public int Index => index;
        public Kind Kind => kind;
        public int Port { get; set; }
        public string ApiKey { get; set; } = "";
        public string AgentId { get; set; } = "";
        public byte[]? SecretKey { get; set; }
        int _received, _bad, _dupes;
        public int Received => _received;
        public int BadSignatures => _bad;
        public int Duplicates => _dupes;
        public int Unique => _seen.Count;
        /// <summary>First receipt of each event, ms on the benchmark's clock.</summary>
        public IEnumerable<double> Latencies => _seen.Values;

        public void Receive(string id, double at, bool signed)
        {
            Interlocked.Increment(ref _received);
            if (!signed) Interlocked.Increment(ref _bad);
            if (!_seen.TryAdd(id, at)) Interlocked.Increment(ref _dupes);
        }
    }

    public sealed record Options(Uri Url, string DataDir, int PgPort, int Receivers, int Slow, int Down, int EventsPerReceiver,
        int SlowMs, int TimeoutSeconds, string Order, string? Out)
    {
        public static Options Parse(string[] args)
        {
            var v = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"unexpected argument {args[i]}");
                v[args[i][2..]] = args[++i];
            }
            string Get(string n, string d) => v.GetValueOrDefault(n, d);
            int Int(string n, string d) => int.Parse(Get(n, d).TrimEnd('s'), CultureInfo.InvariantCulture);
            var order = Get("order", "interleaved");
            if (order is not ("interleaved" or "by-agent")) throw new ArgumentException("--order is interleaved or by-agent");
            return new Options(new Uri(Get("url", "http://127.0.0.1:5080")),
                Get("data-dir", Environment.GetEnvironmentVariable("ACTORS_DATA_DIR") ?? ".data"),
                Int("pg-port", Environment.GetEnvironmentVariable("ACTORS_PG_PORT") ?? "55432"),
                Int("receivers", "100"), Int("slow", "5"), Int("down", "1"), Int("events-per-receiver", "100"),
                Int("slow-ms", "2000"), Int("timeout", "180"), order, v.GetValueOrDefault("out"));
        }
    }
}
