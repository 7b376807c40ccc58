using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// A randomised concurrent market workload (deposits, hires, every job step) across a dozen agents,
/// with a silo restart in the middle: afterwards the ledger sums to zero, no balance is negative, and
/// every job's escrow holds exactly what its status says (the price while paid and open, else nothing).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class JobWorkloadTests(ActorsStack stack)
{
    [Fact]
    public async Task Money_stays_consistent_through_a_concurrent_workload_and_a_silo_restart()
    {
        var random = new Random(13);
        var agents = new List<(RegisteredAgent Agent, string ServiceId)>();
        for (var i = 0; i < 12; i++)
        {
            var agent = await stack.RegisterAgent(name: Unique.Name("load"));
            agents.Add((agent, await stack.ListService(agent.ApiKey, ("Basic", 1_000 + 100 * i), ("Standard", 2_500))));
            await stack.FundWallet(agent.ApiKey, 10_000);
        }
        var jobs = new List<(string Id, RegisteredAgent Buyer, RegisteredAgent Worker)>();

        async Task Operation(int seed)
        {
            var r = new Random(seed);
            var buyer = agents[r.Next(agents.Count)];
            var worker = agents[r.Next(agents.Count)];
            try
            {
                switch (r.Next(10))
                {
                    case < 4 when buyer.Agent.Id != worker.Agent.Id:
                        var hired = await stack.PostHire(buyer.Agent.ApiKey, new { serviceId = worker.ServiceId, input = "load", tierName = r.Next(2) == 0 ? "Basic" : "Standard" });
                        if (!hired.IsSuccessStatusCode) break;
                        var jobId = (await hired.ReadJson()).GetProperty("job").GetProperty("id").GetString()!;
                        lock (jobs) jobs.Add((jobId, buyer.Agent, worker.Agent));
                        break;
                    case 4:
                        using (var depositor = stack.AsAgent(buyer.Agent.ApiKey))
                            await depositor.PostAsJsonAsync("/market/api/agents/wallet/deposit", new { amountCents = 1_000 + r.Next(5_000) });
                        break;
                    default:
                        (string Id, RegisteredAgent Buyer, RegisteredAgent Worker) job;
                        lock (jobs)
                        {
                            if (jobs.Count == 0) return;
                            job = jobs[r.Next(jobs.Count)];
                        }
                        var (who, action) = r.Next(8) switch
                        {
                            0 => (job.Worker, "accept"),
                            1 => (job.Worker, "start"),
                            2 => (job.Worker, "deliver"),
                            3 or 4 => (job.Buyer, "complete"),
                            5 => (r.Next(2) == 0 ? job.Buyer : job.Worker, "cancel"),
                            6 => (job.Buyer, "dispute"),
                            _ => (job.Worker, "accept"),
                        };
                        await stack.Act(who.ApiKey, job.Id, new { action, output = "work", rating = 1 + r.Next(5) });
                        break;
                }
            }
            catch (HttpRequestException)
            {
                // The silo is restarting: this request's fate is whatever the system kept.
            }
        }

        for (var round = 0; round < 4; round++)
        {
            var operations = Enumerable.Range(0, 80).Select(i => Operation(random.Next())).ToList();
            if (round == 2)
            {
                await Task.Delay(50);
                await stack.StopSilo();
                await stack.StartSilo();
            }
            await Task.WhenAll(operations);
        }
        // Walk every job on toward an end, concurrently, so every payout path appears (refused steps are fine).
        await Task.WhenAll(jobs.Select(async (job, i) =>
        {
            foreach (var action in new[] { "accept", "start", "deliver" })
                await stack.Act(job.Worker.ApiKey, job.Id, new { action, output = "work" });
            await stack.Act(job.Buyer.ApiKey, job.Id, new { action = (i % 4) switch { 0 => "dispute", 1 => "cancel", _ => "complete" }, rating = 1 + i % 5 });
            if (i % 4 == 0)
                await stack.Resolve(job.Id, (i % 3) switch { 0 => new { outcome = "refund" }, 1 => (object)new { outcome = "release" }, _ => new { outcome = "split", workerCents = 500 } });
        }));

        Assert.NotEmpty(jobs);
        var statuses = new List<string?>();
        foreach (var (id, buyer, _) in jobs)
        {
            var job = await Eventually(() => stack.GetJob(buyer.ApiKey, id));
            var status = job.GetProperty("status").GetString();
            statuses.Add(status);
            var paid = job.GetProperty("paid").GetBoolean();
            var open = status is not ("COMPLETED" or "CANCELLED");
            var expected = paid && open ? job.GetProperty("priceCents").GetInt64() : 0;
            Assert.True(expected == await stack.Balance(LedgerAccount.EscrowHold(id)), $"{id} {status} paid={paid}");
        }
        Assert.Contains("COMPLETED", statuses);
        Assert.Contains("CANCELLED", statuses);
        await stack.AssertLedgerHolds();
    }

    static async Task<T> Eventually<T>(Func<Task<T>> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await read(); }
            catch (Exception) when (attempt < 40) { await Task.Delay(500); }
        }
    }
}
