using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Actors.Bench.SubscriptionLoad;

/// <summary>The stack's database, as the application's user (credentials from ./run's secrets.env).</summary>
public static class Database
{
    /// <summary>The connection string with its password (a data source's own <c>ConnectionString</c> leaves it out).</summary>
    public static string ConnectionString(Options o)
    {
        var secrets = File.ReadAllLines(Path.Combine(o.DataDir, "secrets.env")).Where(l => l.Contains('=') && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return $"Host=127.0.0.1;Port={o.PgPort};Database=actors;Username={secrets["PG_APP_USER"]};Password={secrets["PG_APP_PASSWORD"]};Maximum Pool Size=4";
    }
}

/// <summary>
/// An Orleans client of the stack's cluster (ADO.NET clustering on the same database, as the API
/// joins it) that asks the management grain how many activations the silo holds, by grain class.
/// </summary>
public sealed class SiloProbe : IAsyncDisposable
{
    readonly IHost? _host;
    readonly IManagementGrain? _management;
    readonly ConcurrentDictionary<string, byte> _seenTypes = new(StringComparer.Ordinal);

    /// <summary>The grain types named like subscriptions the silo reported, so the report shows what was counted.</summary>
    public IEnumerable<string> SeenTypes => _seenTypes.Keys.Order();

    SiloProbe(IHost? host)
    {
        _host = host;
        _management = host?.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
    }

    public static async Task<SiloProbe> Start(Options o, string connectionString)
    {
        var builder = Host.CreateApplicationBuilder([]);
        // Its failures are reported in one line below; Orleans' own warnings would interleave with the samples.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(c => { c.ClusterId = "actors"; c.ServiceId = "actors"; });
            client.UseAdoNetClustering(a => { a.Invariant = "Npgsql"; a.ConnectionString = connectionString; });
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
            return new SiloProbe(host);
        }
        catch (Exception e)
        {
            Console.WriteLine($"warning: the Orleans client did not connect ({e.GetType().Name}: {e.Message}); activations are not counted");
            host.Dispose();
            return new SiloProbe(null);
        }
    }

    /// <summary>SubscriptionGrain activations and all activations of the cluster (one silo); null when unknown.</summary>
    public async Task<(int Subscriptions, int Total)?> Activations()
    {
        if (_management is null) return null;
        try
        {
            var stats = await _management.GetSimpleGrainStatistics().WaitAsync(TimeSpan.FromSeconds(10));
            foreach (var s in stats.Where(s => s.GrainType.Contains("Subscription", StringComparison.Ordinal))) _seenTypes.TryAdd(s.GrainType, 0);
            // The grain class's full name; not the registry (SubscriptionRegistryGrain), not an idempotency grain.
            var subscriptions = stats.Where(s => s.GrainType.Split(',')[0].EndsWith(".SubscriptionGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            return (subscriptions, stats.Sum(s => s.ActivationCount));
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        try { await _host.StopAsync(TimeSpan.FromSeconds(5)); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}

/// <summary>One sample of the silo: seconds since the generator started, the phase, RSS (MiB), activations, runs so far.</summary>
public sealed record Sample(double Seconds, string Phase, double SiloRssMiB, double ApiRssMiB, int? SubscriptionActivations, int? Activations, long Runs, long Running);

/// <summary>Samples the silo every --sample-seconds in the background, printing each sample as it is taken.</summary>
public sealed class Sampler(Options o, SiloProbe silo, NpgsqlDataSource db) : IDisposable
{
    readonly ConcurrentQueue<Sample> _samples = new();
    readonly CancellationTokenSource _stop = new();
    readonly Stopwatch _watch = Stopwatch.StartNew();
    readonly int? _siloPid = Pid(Path.Combine(o.DataDir, "run", "silo.pid"));
    readonly int? _apiPid = Pid(Path.Combine(o.DataDir, "run", "api.pid"));
    readonly ConcurrentQueue<(double Seconds, string Phase)> _marks = new();
    volatile string _phase = "setup";
    Task? _loop;

    public IReadOnlyCollection<Sample> Samples => _samples;
    public SiloProbe Probe => silo;
    public IReadOnlyCollection<(double Seconds, string Phase)> Marks => _marks;

    public void Start()
    {
        Console.WriteLine($"{"t s",6} {"phase",-12} {"silo RSS MiB",12} {"api RSS MiB",11} {"sub activations",15} {"all activations",15} {"runs",7} {"running",7}");
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.SampleSeconds));
            try
            {
                do await Take();
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException) { }
        });
    }

    public void Mark(string phase)
    {
        _phase = phase;
        _marks.Enqueue((_watch.Elapsed.TotalSeconds, phase));
    }

    async Task Take()
    {
        var seconds = _watch.Elapsed.TotalSeconds;
        var activations = await silo.Activations();
        long runs = 0, running = 0;
        try
        {
            await using var cmd = db.CreateCommand("SELECT count(*), count(*) FILTER (WHERE status = 'RUNNING') FROM subscription_runs");
            await using var reader = await cmd.ExecuteReaderAsync();
            if (await reader.ReadAsync()) { runs = reader.GetInt64(0); running = reader.GetInt64(1); }
        }
        catch (NpgsqlException) { runs = running = -1; }
        var sample = new Sample(seconds, _phase, Rss(_siloPid), Rss(_apiPid), activations?.Subscriptions, activations?.Total, runs, running);
        _samples.Enqueue(sample);
        Console.WriteLine($"{sample.Seconds,6:0} {sample.Phase,-12} {sample.SiloRssMiB,12:0} {sample.ApiRssMiB,11:0} {Text(sample.SubscriptionActivations),15} {Text(sample.Activations),15} {sample.Runs,7} {sample.Running,7}");
    }

    static string Text(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>VmRSS of the process, MiB (0 when it is gone).</summary>
    static double Rss(int? pid)
    {
        if (pid is null) return 0;
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { return 0; }
    }

    static int? Pid(string file)
    {
        try { return int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(15)); }
        catch (AggregateException) { }
        _stop.Dispose();
    }
}
