using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Market;

/// <summary>What hiring keeps, counted straight from PostgreSQL, for the refusal tests and the money checks.</summary>
static class JobStored
{
    /// <summary>Rows of the jobs read model where the agent is the buyer.</summary>
    public static Task<long> JobsBoughtBy(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM market_jobs WHERE buyer_id = @id", agentId);

    /// <summary>The job's read-model row as a text (status, paid, last change): a refused change leaves it as it was.</summary>
    public static async Task<string?> JobRow(this ActorsStack stack, string jobId) =>
        (string?)await stack.Postgres.Scalar("SELECT status || ' ' || paid || ' ' || updated_at FROM market_jobs WHERE job_id = @id", ("id", jobId));

    public static Task<long> MessagesOf(this ActorsStack stack, string jobId) =>
        Count(stack, "SELECT count(*) FROM job_messages WHERE job_id = @id", jobId);

    /// <summary>Every ledger entry touching the job's escrow or the agent's wallet.</summary>
    public static Task<long> EntriesOf(this ActorsStack stack, string accountId) =>
        Count(stack, "SELECT count(*) FROM ledger_entries WHERE account_id = @id", accountId);

    /// <summary>Every transfer of the ledger (money moved by anyone).</summary>
    public static async Task<long> AllTransfers(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM ledger_transfers"))!;

    public static Task<long> Balance(this ActorsStack stack, string accountId) =>
        stack.SiloServices.GetRequiredService<LedgerStore>().Balance(accountId);

    /// <summary>The ledger's invariants: entries sum to zero; no account but the world below zero.</summary>
    public static async Task AssertLedgerHolds(this ActorsStack stack)
    {
        Assert.Equal(0L, await stack.SiloServices.GetRequiredService<LedgerStore>().SumOfAllEntries());
        Assert.Equal(0L, (long)(await stack.Postgres.Scalar($"""
            SELECT count(*) FROM ledger_accounts a
            WHERE a.account_id <> '{LedgerAccount.World}'
              AND a.balance + coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.account_id = a.account_id AND NOT e.folded), 0) < 0
            """))!);
    }

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
