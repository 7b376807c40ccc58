using Actors.Grains.Ledger;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Tests.Market;

/// <summary>
/// The rule that holds everywhere, tested the hard way: a randomised concurrent workload
/// through HTTP across 30 agents (deposits, hires, the whole job lifecycle, cancels, checkout
/// payments, withdrawals after payout onboarding, races on one job) with the silo restarted in
/// the middle. Afterwards no balance is below zero, the ledger sums to zero, every finished
/// job's escrow is empty, and every wallet holds exactly what the answers the agents got say.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MoneyWorkloadTests(ActorsStack stack, ITestOutputHelper output)
{
    const int Seed = 20261313;

    LedgerStore Ledger => stack.SiloServices.GetRequiredService<LedgerStore>();

    [Fact]
    public async Task Every_cent_is_where_the_answers_said_after_a_concurrent_workload_across_a_silo_restart()
    {
        using var workload = new MoneyWorkload(stack, Seed);
        await workload.Setup(agents: 30, onboarded: 15);

        var restarted = false;
        await workload.Run(operations: 320, runners: 6, interruptAt: 150, async () =>
        {
            await stack.StopSilo();
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await stack.StartSilo();
            restarted = true;
        });

        var story = workload.Describe();
        output.WriteLine(story);
        Assert.True(restarted, story);
        Assert.True(workload.Calls.ServerErrors.IsEmpty, "answers that were neither a result nor a 503 with Retry-After:\n" + string.Join("\n", workload.Calls.ServerErrors) + "\n" + story);
        Assert.True(workload.Violations.IsEmpty, string.Join("\n", workload.Violations) + "\n" + story);

        var mismatches = new List<string>();
        foreach (var agent in workload.Agents)
        {
            var ledger = await Ledger.Balance(WalletLedger.Wallet(agent.Id));
            if (ledger != agent.ExpectedBalance) mismatches.Add($"wallet of {agent}: the ledger holds {ledger}");
            var wallet = await workload.Calls.Get(agent.Http, "/market/api/agents/wallet");
            if (!wallet.Ok || wallet.Body.GetProperty("balanceCents").GetInt64() != ledger) mismatches.Add($"{agent.Id}'s wallet answers {wallet}, the ledger holds {ledger}");
            var hired = await workload.Calls.Get(agent.Http, "/market/api/jobs?role=buyer");
            var known = workload.Jobs.Where(j => j.Buyer == agent).Select(j => j.Id).ToHashSet();
            foreach (var listed in hired.Body.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!))
                if (!known.Contains(listed)) mismatches.Add($"{agent.Id} has a job nobody was told of: {listed}");
        }
        foreach (var job in workload.Jobs)
        {
            var status = await workload.StatusNow(job);
            if (status != job.Status) mismatches.Add($"job {job}: the answers said {job.Status}, the job says {status}");
            var escrow = await Ledger.Balance(WalletLedger.Escrow(job.Id));
            var held = job.Open && job.Paid ? job.PriceCents : 0;
            if (escrow != held) mismatches.Add($"job {job}: escrow holds {escrow}, expected {held}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n" + story);

        Assert.Equal(0, await stack.AccountsBelowZero());
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());
        Assert.All(workload.Agents, a => Assert.True(a.ExpectedBalance >= 0, a.ToString()));

        // The workload did what it is for: money moved along every path, some of it across the restart.
        Assert.True(workload.Counts.GetValueOrDefault("hire (wallet)") >= 20, story);
        Assert.True(workload.Counts.GetValueOrDefault(MoneyWorkload.Completed) >= 5, story);
        Assert.True(workload.Counts.GetValueOrDefault(MoneyWorkload.Cancelled) >= 3, story);
        Assert.True(workload.Counts.GetValueOrDefault("withdrawal") >= 3, story);
        Assert.True(workload.Counts.GetValueOrDefault("withdrawal refused (not onboarded)") >= 1, story);
    }
}
