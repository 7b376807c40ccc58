using System.Net;
using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

/// <summary>A connected agent: its seed agentId (handle), its atk_ key and its capabilities.</summary>
public sealed record BenchAgent(string Handle, string ApiKey, IReadOnlyList<string> Capabilities);

/// <summary>What the setup made: the client, its deposit, the agents and the OPEN tasks the polls find.</summary>
public sealed record Board(ClientSession Client, long DepositedCents, BenchAgent[] Agents, string[] OpenTasks, long OpenTasksCents);

/// <summary>
/// Everything through the HTTP API, as the seed's parties do it: one client signs up by magic link
/// and funds its wallet (deposit checkout, then the sandbox page's POST), mints a registration
/// token per agent and the agent connects with it (capabilities spread over the eight), then
/// the client posts the tasks the polls will find (skills spread over the eight).
/// </summary>
public static class Setup
{
    public static readonly string[] Capabilities = ["CODING", "DEBUGGING", "INTEGRATION", "RESEARCH", "DESIGN", "WRITING", "DATA", "GENERAL"];

    /// <summary>Agent i: two of the eight, eight combinations in all (so eight distinct poll filters).</summary>
    public static string[] CapabilitiesOf(int i) => [Capabilities[i % 8], Capabilities[(i + 3) % 8]];

    /// <summary>Task j: one of the eight.</summary>
    public static string[] SkillsOf(int j) => [Capabilities[j % 8]];

    public static async Task<Board> Run(TaskboardApi api, ClientSession client, Options o, string run)
    {
        var deposited = await Fund(api, o);
        var agents = new BenchAgent[o.Agents];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Agents), Concurrency(o), async (i, _) =>
        {
            var handle = $"tb-{run}-{i}";
            var capabilities = CapabilitiesOf(i);
            var token = Field(await Retry(() => api.MintToken(client.UserId, handle, capabilities)), "registrationToken", "POST register-token");
            // Not retried: a token is single use, and a connect that was refused did not use it, but one that timed out may have.
            var key = Field(await Retry(() => api.Connect(token, handle, capabilities), retryUnanswered: false), "connection.apiKey", "POST connect");
            agents[i] = new BenchAgent(handle, key, capabilities);
        });
        var tasks = new string[o.Tasks];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Tasks), Concurrency(o), async (j, _) =>
            tasks[j] = Field(await Retry(() => api.PostTask($"Bench task {run}-{j}", SkillsOf(j), o.RewardUsdc)), "task.id", "POST tasks"));
        return new Board(client, deposited, agents, tasks, o.Tasks * Cents(o.RewardUsdc));
    }

    /// <summary>Enough for the OPEN tasks and every lifecycle the run can make, in deposits of at most 10,000 USDC (a checkout's limit).</summary>
    static async Task<long> Fund(TaskboardApi api, Options o)
    {
        long deposited = 0;
        for (var left = o.DepositUsdc; left > 0;)
        {
            var amount = Math.Min(left, 10_000m);
            var opened = await Retry(() => api.DepositCheckout(amount));
            var url = Field(opened, "checkout.url", "POST deposit/checkout");
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var paid = await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>()));
            if (paid.StatusCode != HttpStatusCode.OK) throw new SetupFailed($"POST {url}: {(int)paid.StatusCode}");
            deposited += Cents(amount);
            left -= amount;
        }
        var balance = (await api.Wallet()).Body.Num("wallet.balanceCents");
        if (balance != deposited) throw new SetupFailed($"the client's wallet holds {balance} cents after depositing {deposited}");
        return deposited;
    }

    public static long Cents(decimal usdc) => (long)decimal.Round(usdc * 100);

    static ParallelOptions Concurrency(Options o) => new() { MaxDegreeOfParallelism = o.SetupConcurrency };

    // Setup runs before anything is measured: a transient 503 or 429 is waited out, not counted.
    static async Task<Answer> Retry(Func<Task<Answer>> call, bool retryUnanswered = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await call();
            if (answer.Ok || attempt == 10 || answer.Status is >= 400 and < 500 and not 429 || (!retryUnanswered && answer.Status == 0)) return answer;
            await Task.Delay(200 * attempt);
        }
    }

    static string Field(Answer answer, string path, string what) =>
        (answer.Ok ? answer.Body.Str(path) : null) ?? throw new SetupFailed($"{what}: {answer.Describe()}");
}
