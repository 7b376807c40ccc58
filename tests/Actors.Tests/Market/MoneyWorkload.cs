using System.Collections.Concurrent;
using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// A randomised, concurrent market workload through HTTP: deposits, hires, the job lifecycle
/// (accept, start, deliver, complete), cancels, checkout payments of unpaid hires, withdrawals
/// (after payout onboarding through the sandbox page), and two races on one job. Each agent's
/// expected wallet is kept from the answers the test got (nothing is read back for it), so the
/// checks afterwards compare the ledger against what clients were told.
/// Prices are multiples of 100 cents, so the 10 % fee has no rounding to guess.
/// </summary>
public sealed class MoneyWorkload(ActorsStack stack, int seed) : IDisposable
{
    public const string Requested = "REQUESTED", Accepted = "ACCEPTED", InProgress = "IN_PROGRESS",
        Delivered = "DELIVERED", Completed = "COMPLETED", Cancelled = "CANCELLED";

    public sealed class Agent(RegisteredAgent registered, HttpClient http)
    {
        long _deposited, _withdrawn, _escrowed, _refunded, _earned;

        public RegisteredAgent Registered { get; } = registered;
        public HttpClient Http { get; } = http;
        public string Id => Registered.Id;
        public string ServiceId { get; set; } = "";
        public (string Name, long PriceCents)[] Tiers { get; set; } = [];
        public bool Onboarded { get; set; }

        public void Deposited(long cents) => Interlocked.Add(ref _deposited, cents);
        public void Withdrew(long cents) => Interlocked.Add(ref _withdrawn, cents);
        public void Escrowed(long cents) => Interlocked.Add(ref _escrowed, cents);
        public void Refunded(long cents) => Interlocked.Add(ref _refunded, cents);
        public void Earned(long cents) => Interlocked.Add(ref _earned, cents);

        /// <summary>Deposits − withdrawals − escrowed hires not refunded + earnings, all from acknowledged answers.</summary>
        public long ExpectedBalance => _deposited - _withdrawn - _escrowed + _refunded + _earned;

        public override string ToString() =>
            $"{Id}: deposited {_deposited}, withdrew {_withdrawn}, escrowed {_escrowed}, refunded {_refunded}, earned {_earned} → {ExpectedBalance}";
    }

    public sealed class Job(string id, Agent buyer, Agent worker, long priceCents, bool paid, string? checkoutUrl)
    {
        public string Id { get; } = id;
        public Agent Buyer { get; } = buyer;
        public Agent Worker { get; } = worker;
        public long PriceCents { get; } = priceCents;
        public bool Paid { get; set; } = paid;
        public string? CheckoutUrl { get; } = checkoutUrl;
        public string Status { get; set; } = Requested;
        /// <summary>One runner at a time acts on a job (the races below are deliberate).</summary>
        public bool Busy { get; set; }

        public bool Open => Status is not (Completed or Cancelled);

        public override string ToString() => $"{Id} ({Buyer.Id} hired {Worker.Id}, {PriceCents} cents, {(Paid ? "paid" : "unpaid")}, {Status})";
    }

    readonly List<Job> _jobs = [];
    int _operations;

    public PatientCalls Calls { get; } = new(stack);
    public List<Agent> Agents { get; } = [];
    public IReadOnlyList<Job> Jobs { get { lock (_jobs) return _jobs.ToList(); } }

    /// <summary>Answers that contradict the seed's rules (an accepted refusal, a refused valid step, a wrong field).</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentDictionary<string, int> Counts { get; } = new();

    /// <summary>Registers the agents (no referral codes: the whole fee goes to the platform), lists a service for each, funds them, onboards some for payouts.</summary>
    public async Task Setup(int agents, int onboarded)
    {
        var random = new Random(seed);
        var registered = await Task.WhenAll(Enumerable.Range(0, agents).Select(i => stack.RegisterAgent(name: Unique.Name($"money{i}"))));
        foreach (var r in registered)
        {
            var http = stack.AsAgent(r.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(20);
            var basic = random.Next(1, 8) * 100L;
            Agents.Add(new Agent(r, http) { Tiers = [("Basic", basic), ("Standard", basic + random.Next(1, 8) * 100L)] });
        }
        var deposits = Agents.Select(_ => random.Next(10, 40) * 100L).ToArray();
        await Task.WhenAll(Agents.Select(async (agent, i) =>
        {
            var listed = await Calls.Post(agent.Http, "/market/api/services", new
            {
                title = $"Workload service {i}",
                description = "Listed by the money workload test",
                category = "development",
                tags = new[] { "workload" },
                tiers = agent.Tiers.Select(t => new { name = t.Name, description = t.Name + " tier", priceCents = t.PriceCents, deliveryDays = 1, features = new[] { "tested" } }),
            }, NewKey());
            Assert.True(listed.Ok, listed.ToString());
            agent.ServiceId = listed.Body.GetProperty("service").GetProperty("id").GetString()!;
            await Deposit(agent, deposits[i]);
            if (i < onboarded) await Onboard(agent);
        }));
    }

    /// <summary>
    /// Runs <paramref name="operations"/> operations on <paramref name="runners"/> concurrent
    /// runners; when <paramref name="interruptAt"/> operations have started, <paramref name="interrupt"/>
    /// runs beside them (the silo restart).
    /// </summary>
    public async Task Run(int operations, int runners, int interruptAt, Func<Task> interrupt)
    {
        var interruption = Task.Run(async () =>
        {
            while (Volatile.Read(ref _operations) < interruptAt) await Task.Delay(20);
            await interrupt();
        });
        await Task.WhenAll(Enumerable.Range(0, runners).Select(k => Task.Run(async () =>
        {
            var random = new Random(seed * 31 + k);
            while (Interlocked.Increment(ref _operations) <= operations) await Operate(random);
        })));
        await interruption;
    }

    async Task Operate(Random random)
    {
        var roll = random.Next(100);
        if (roll < 12) { await Deposit(Pick(random), random.Next(1, 30) * 100L); return; }
        if (roll < 20) { await Withdraw(Pick(random), random.Next(1, 20) * 100L); return; }
        if (roll < 24 && Claim(random, j => j.Paid && j.Status == Requested) is { } racing) { await RaceAcceptAndCancel(racing); return; }
        if (roll < 27 && Claim(random, j => j.Status == Delivered) is { } delivered) { await RaceCompletes(delivered); return; }
        if (roll < 30 && Claim(random, j => j.Paid && j.Status == Requested) is { } probed) { await ProbeStrangerAndWrongRole(probed); return; }
        if (roll < 38 && Claim(random, j => j.Status is Requested or Accepted or InProgress) is { } cancelled)
        {
            await Cancel(cancelled, by: random.Next(2) == 0 ? cancelled.Buyer : cancelled.Worker);
            return;
        }
        if (roll < 72 && Claim(random, j => j.Open) is { } job) { await Advance(job, random); return; }
        var buyer = Pick(random);
        Agent worker;
        do worker = Pick(random); while (worker == buyer);
        await Hire(buyer, worker, worker.Tiers[random.Next(worker.Tiers.Length)]);
    }

    Agent Pick(Random random) => Agents[random.Next(Agents.Count)];

    Job? Claim(Random random, Func<Job, bool> fits)
    {
        lock (_jobs)
        {
            var candidates = _jobs.Where(j => !j.Busy && fits(j)).ToList();
            if (candidates.Count == 0) return null;
            var job = candidates[random.Next(candidates.Count)];
            job.Busy = true;
            return job;
        }
    }

    void Release(Job job)
    {
        lock (_jobs) job.Busy = false;
    }

    public async Task Deposit(Agent agent, long cents)
    {
        var reply = await Calls.Post(agent.Http, "/market/api/agents/wallet/deposit", new { amountCents = cents }, NewKey());
        if (reply.Ok && reply.Body.GetProperty("deposit").GetProperty("amountCents").GetInt64() == cents)
        {
            agent.Deposited(cents);
            Count("deposit");
        }
        else Violate($"a deposit of {cents} was not credited: {reply}");
    }

    async Task Withdraw(Agent agent, long cents)
    {
        var reply = await Calls.Post(agent.Http, "/market/api/agents/wallet/withdraw", new { amountCents = cents }, NewKey());
        if (reply.Ok)
        {
            if (!agent.Onboarded) Violate($"a withdrawal before payout onboarding was paid out: {reply}");
            if (reply.Body.GetProperty("withdrawal").GetProperty("amountCents").GetInt64() != cents) Violate($"withdrawal of {cents} answered another amount: {reply}");
            agent.Withdrew(cents);
            Count("withdrawal");
        }
        else if ((int)reply.Status is >= 400 and < 500) Count(agent.Onboarded ? "withdrawal refused (balance)" : "withdrawal refused (not onboarded)");
        else Violate($"withdrawal: {reply}");
    }

    async Task Onboard(Agent agent)
    {
        var started = await Calls.Post(agent.Http, "/market/api/agents/connect", new { }, NewKey());
        Assert.True(started.Ok, started.ToString());
        var page = await Calls.SubmitPageForm(started.Body.GetProperty("onboardingUrl").GetString()!);
        Assert.True(page.Ok, page.ToString());
        var status = await Calls.Get(agent.Http, "/market/api/agents/connect");
        Assert.True(status.Ok && status.Body.GetProperty("onboarded").GetBoolean(), status.ToString());
        agent.Onboarded = true;
    }

    async Task Hire(Agent buyer, Agent worker, (string Name, long PriceCents) tier)
    {
        var reply = await Calls.Post(buyer.Http, "/market/api/agents/hire",
            new { serviceId = worker.ServiceId, input = "Workload job: any output will do", tierName = tier.Name }, NewKey());
        if (!reply.Ok) { Violate($"a hire of another agent's active service was refused: {reply}"); return; }
        var job = reply.Body.GetProperty("job");
        var price = job.GetProperty("priceCents").GetInt64();
        if (price != tier.PriceCents) Violate($"hire of tier {tier.Name} ({tier.PriceCents}) priced {price}: {reply}");
        var method = reply.Body.GetProperty("paymentMethod").GetString();
        var paid = method == "wallet";
        if (paid) buyer.Escrowed(price);
        else if (method != "stripe") Violate($"unknown paymentMethod: {reply}");
        var checkoutUrl = paid ? null : reply.Body.TryGetProperty("checkoutUrl", out var url) ? url.GetString() : null;
        if (!paid && checkoutUrl is null) Violate($"a hire paid by checkout carries no checkoutUrl: {reply}");
        lock (_jobs) _jobs.Add(new Job(job.GetProperty("id").GetString()!, buyer, worker, price, paid, checkoutUrl));
        Count(paid ? "hire (wallet)" : "hire (checkout)");
    }

    /// <summary>The job's next step by the party whose step it is; an unpaid job is paid through its checkout or cancelled.</summary>
    async Task Advance(Job job, Random random)
    {
        try
        {
            switch (job.Status)
            {
                case Requested when !job.Paid:
                    var early = await Calls.Patch(job.Worker.Http, JobPath(job), new { action = "accept" });
                    if (early.Status != HttpStatusCode.Conflict) Violate($"an unpaid job was not refused with 409 on accept: {early}");
                    if (early.Ok) { job.Status = Accepted; return; }
                    if (job.CheckoutUrl is not null && random.Next(2) == 0) await PayCheckout(job);
                    else await Cancel(job, job.Buyer, release: false);
                    return;
                case Requested:
                    await Act(job, job.Worker, new { action = "accept" }, Accepted);
                    return;
                case Accepted:
                    await Act(job, job.Worker, new { action = "start" }, InProgress);
                    return;
                case InProgress:
                    await Act(job, job.Worker, new { action = "deliver", output = $"Delivered {job.Id}" }, Delivered);
                    return;
                case Delivered:
                    if (await Act(job, job.Buyer, random.Next(2) == 0 ? new { action = "complete" } : new { action = "complete", rating = random.Next(1, 6) }, Completed))
                        job.Worker.Earned(Earnings(job.PriceCents));
                    return;
            }
        }
        finally { Release(job); }
    }

    /// <summary>
    /// Pays the hire's checkout on the sandbox page: the provider credits the buyer's wallet with
    /// the price and the job escrows it from there. Another hire of the same buyer may spend that
    /// credit first, so whether the job was paid is what the worker's accept answers next.
    /// </summary>
    async Task PayCheckout(Job job)
    {
        var paid = await Calls.SubmitPageForm(job.CheckoutUrl!);
        if (!paid.Ok) { Violate($"the checkout of {job} could not be paid: {paid}"); return; }
        job.Buyer.Deposited(job.PriceCents);
        var accept = await Calls.Patch(job.Worker.Http, JobPath(job), new { action = "accept" });
        if (accept.Ok || (accept.Ambiguous && await StatusNow(job) == Accepted))
        {
            job.Buyer.Escrowed(job.PriceCents);
            job.Paid = true;
            job.Status = Accepted;
            Count("checkout paid, then accepted");
        }
        else if (accept.Status == HttpStatusCode.Conflict) Count("checkout paid, its credit spent before the escrow");
        else Violate($"accept after the checkout was paid: {accept}");
    }

    async Task Cancel(Job job, Agent by, bool release = true)
    {
        try
        {
            if (await Act(job, by, new { action = "cancel" }, Cancelled) && job.Paid) job.Buyer.Refunded(job.PriceCents);
        }
        finally { if (release) Release(job); }
    }

    /// <summary>The worker accepts while the buyer cancels: cancel is allowed either way, so the job ends CANCELLED and refunded.</summary>
    async Task RaceAcceptAndCancel(Job job)
    {
        try
        {
            var accept = Calls.Patch(job.Worker.Http, JobPath(job), new { action = "accept" });
            var cancel = Calls.Patch(job.Buyer.Http, JobPath(job), new { action = "cancel" });
            await Task.WhenAll(accept, cancel);
            if (accept.Result.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict)) Violate($"racing accept: {accept.Result}");
            if (cancel.Result.Ok || (cancel.Result.Ambiguous && await StatusNow(job) == Cancelled))
            {
                job.Status = Cancelled;
                job.Buyer.Refunded(job.PriceCents);
                Count("race accept/cancel");
            }
            else
            {
                Violate($"cancel racing an accept was refused: {cancel.Result} (accept: {accept.Result})");
                job.Status = await StatusNow(job) ?? job.Status;
            }
        }
        finally { Release(job); }
    }

    /// <summary>Two completes at once: the worker is paid once.</summary>
    async Task RaceCompletes(Job job)
    {
        try
        {
            var both = await Task.WhenAll(
                Calls.Patch(job.Buyer.Http, JobPath(job), new { action = "complete" }),
                Calls.Patch(job.Buyer.Http, JobPath(job), new { action = "complete" }));
            var succeeded = both.Count(r => r.Ok);
            if (succeeded == 0 && both.Any(r => r.Ambiguous) && await StatusNow(job) == Completed) succeeded = 1;
            if (succeeded != 1 || both.Any(r => !r.Ok && r.Status != HttpStatusCode.Conflict))
                Violate($"two concurrent completes: {both[0]} / {both[1]}");
            if (succeeded >= 1)
            {
                job.Status = Completed;
                job.Worker.Earned(Earnings(job.PriceCents));
                Count("race complete/complete");
            }
        }
        finally { Release(job); }
    }

    /// <summary>A stranger learns nothing (404) and the buyer cannot do the worker's step (403); neither changes the job.</summary>
    async Task ProbeStrangerAndWrongRole(Job job)
    {
        try
        {
            var stranger = Agents.First(a => a != job.Buyer && a != job.Worker);
            var peek = await Calls.Get(stranger.Http, JobPath(job));
            var poke = await Calls.Patch(stranger.Http, JobPath(job), new { action = "cancel" });
            var wrongRole = await Calls.Patch(job.Buyer.Http, JobPath(job), new { action = "accept" });
            if (peek.Status != HttpStatusCode.NotFound) Violate($"a stranger read a job: {peek}");
            if (poke.Status != HttpStatusCode.NotFound) Violate($"a stranger's cancel was not a 404: {poke}");
            if (wrongRole.Status != HttpStatusCode.Forbidden) Violate($"the buyer's accept was not a 403: {wrongRole}");
            Count("probe");
        }
        finally { Release(job); }
    }

    /// <summary>PATCHes the action; true when it was applied (an answer lost in the outage is resolved by reading the job).</summary>
    async Task<bool> Act(Job job, Agent by, object action, string after)
    {
        var reply = await Calls.Patch(by.Http, JobPath(job), action);
        if (reply.Ok)
        {
            var status = reply.Body.GetProperty("job").GetProperty("status").GetString();
            if (status != after) Violate($"{reply} left the job {status}, not {after}");
            job.Status = after;
            Count(after);
            return true;
        }
        if (reply.Ambiguous && reply.Status == HttpStatusCode.Conflict && await StatusNow(job) == after)
        {
            job.Status = after;
            Count(after + " (answer lost in the outage)");
            return true;
        }
        Violate($"a valid step was refused: {reply} (job {job})");
        return false;
    }

    public async Task<string?> StatusNow(Job job)
    {
        var reply = await Calls.Get(job.Buyer.Http, JobPath(job));
        return reply.Ok ? reply.Body.GetProperty("job").GetProperty("status").GetString() : null;
    }

    /// <summary>The worker's part of a completed job: the price less the 10 % platform fee (no referrer).</summary>
    public static long Earnings(long priceCents) => priceCents - priceCents / 10;

    static string JobPath(Job job) => "/market/api/jobs/" + job.Id;

    static string NewKey() => Guid.NewGuid().ToString("N");

    void Count(string what) => Counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    void Violate(string what) => Violations.Enqueue($"[seed {seed}] {what}");

    public void Dispose()
    {
        foreach (var agent in Agents) agent.Http.Dispose();
    }

    public string Describe() => string.Join(", ", Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")) + $"; outage answers waited out: {Calls.Unavailable}";
}
