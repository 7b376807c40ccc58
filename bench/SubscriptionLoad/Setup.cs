using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Bench.MarketLoad;

namespace Actors.Bench.SubscriptionLoad;

public sealed record Service(string Id, int Provider);

/// <summary>The agents' keys and the services: service i belongs to provider i / services-per-provider.</summary>
public sealed record Market(string[] ProviderKeys, Service[] Services, string[] SubscriberKeys);

/// <summary>One acknowledged subscription: its id, its provider's key (who reports its runs) and when it was created.</summary>
public sealed record Subscription(string Id, string ProviderKey, DateTimeOffset CreatedAt);

public static class Setup
{
    public static async Task<Market> Run(MarketApi api, Options o)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var providers = new string[o.Providers];
        var subscribers = new string[o.Subscribers];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Providers + o.Subscribers), Concurrency(o), async (i, _) =>
        {
            var name = i < o.Providers ? $"provider-{run}-{i}" : $"subscriber-{run}-{i - o.Providers}";
            var key = Field(await Retry(() => api.Register(name)), "agent.apiKey", "register");
            if (i < o.Providers) providers[i] = key; else subscribers[i - o.Providers] = key;
        });

        var services = new Service[o.Services];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Services), Concurrency(o), async (i, _) =>
        {
            var provider = i / o.ServicesPerProvider;
            var id = Field(await Retry(() => ListSubscriptionService(api, providers[provider], $"Hourly report {run}-{i}", o.PriceCents)), "service.id", "POST /market/api/services");
            services[i] = new Service(id, provider);
        });

        // Exactly the first month of each subscription: the bench's rounds are hours, billing is monthly.
        var month = o.PerSubscriber * o.PriceCents;
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Subscribers), Concurrency(o), async (i, _) =>
        {
            for (var left = month; left > 0; left -= 1_000_000)
                Ensure(await Retry(() => api.Deposit(subscribers[i], Math.Min(left, 1_000_000))), "POST /market/api/agents/wallet/deposit");
        });
        return new Market(providers, services, subscribers);
    }

    static Task<Answer> ListSubscriptionService(MarketApi api, string providerKey, string title, long priceCents) =>
        api.Send(HttpMethod.Post, "/market/api/services", providerKey, new
        {
            title,
            description = "A subscriptions benchmark service: a report every hour",
            category = "research",
            tags = new[] { "bench", "subscriptions" },
            type = "SUBSCRIPTION",
            priceCents,
            runIntervalHours = 1,
        }, read: true, keyed: true);

    static ParallelOptions Concurrency(Options o) => new() { MaxDegreeOfParallelism = o.SetupConcurrency };

    // Setup runs before anything is measured: a transient 503 or 429 is waited out, not counted.
    public static async Task<Answer> Retry(Func<Task<Answer>> call)
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

    static void Ensure(Answer answer, string what)
    {
        if (!answer.Ok) throw new SetupFailed($"{what}: {answer.Describe()}");
    }
}

/// <summary>The subscribe phase: its acknowledged subscriptions, latencies (µs), failures and the CPU at its two ends.</summary>
public sealed record Subscribed(List<Subscription> Created, List<long> Micros, Dictionary<string, int> Failures, List<string> FirstFailures,
    double Seconds, CpuSnapshot Before, CpuSnapshot After)
{
    public int Failed => Failures.Values.Sum();
    public DateTimeOffset LastCreatedAt => Created.Max(s => s.CreatedAt);
}

public static class Subscribing
{
    /// <summary>
    /// Every subscription POSTed once, --concurrency at a time, paced over one interval unless --pace none. Request i is subscriber i mod S's
    /// (i div S)-th subscription, so concurrent requests charge different wallets; its service is
    /// (subscriber × per-subscriber + j) mod services, each service getting the same number.
    /// </summary>
    public static async Task<Subscribed> Run(MarketApi api, Market market, Options o, ProcessCpu cpu)
    {
        var created = new ConcurrentQueue<Subscription>();
        var micros = new ConcurrentQueue<long>();
        var failures = new ConcurrentDictionary<string, int>();
        var samples = new ConcurrentQueue<string>();
        var next = -1;
        // Paced, request i leaves no sooner than i × interval / count after the first: the subscriptions'
        // slots spread evenly over the interval, as a day's subscribers would spread theirs over the hour.
        var gap = o.Paced ? o.Interval / o.Subscriptions : TimeSpan.Zero;
        var before = cpu.Take();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < o.Subscriptions;)
            {
                var wait = gap * i - watch.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var subscriber = i % o.Subscribers;
                var service = market.Services[(subscriber * o.PerSubscriber + i / o.Subscribers) % market.Services.Length];
                var answer = await api.Send(HttpMethod.Post, "/market/api/subscriptions", market.SubscriberKeys[subscriber],
                    new { serviceId = service.Id }, read: true, keyed: true);
                micros.Enqueue(answer.Micros);
                if (answer.Status == 201 && answer.Body.Str("subscription.id") is { } id
                    && answer.Body.TryGetProperty("subscription", out var s) && s.TryGetProperty("createdAt", out var at) && at.ValueKind == JsonValueKind.String)
                {
                    created.Enqueue(new Subscription(id, market.ProviderKeys[service.Provider], DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture)));
                    continue;
                }
                failures.AddOrUpdate(answer.Status == 0 ? "no response" : answer.Status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if (samples.Count < 10) samples.Enqueue(answer.Describe().Length > 300 ? answer.Describe()[..300] + "…" : answer.Describe());
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        return new Subscribed([.. created], [.. micros], new Dictionary<string, int>(failures), [.. samples], seconds, before, cpu.Take());
    }
}
