using Actors.Grains.Ledger;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// What the stack keeps, counted straight from PostgreSQL: a refusal test asserts these did not
/// move, so a request that answered an error yet wrote something is caught.
/// </summary>
public static class Stored
{
    public static Task<long> UsageEventsOf(this ActorsStack stack, string linkId) =>
        Count(stack, "SELECT count(*) FROM usage_events WHERE link_id = @id", linkId);

    public static Task<long> MemoriesOf(this ActorsStack stack, string machineId) =>
        Count(stack, "SELECT count(*) FROM memories WHERE machine_id = @id", machineId);

    public static Task<long> MemoriesWrittenBy(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM memories WHERE agent_id = @id", agentId);

    public static Task<long> AccessTokensOf(this ActorsStack stack, string orgId) =>
        Count(stack, "SELECT count(*) FROM access_tokens WHERE org_id = @id", orgId);

    /// <summary>Entries on the organisation's credit pool: every grant and every spend is one.</summary>
    public static Task<long> CreditEntriesOf(this ActorsStack stack, string orgId) =>
        Count(stack, "SELECT count(*) FROM ledger_entries WHERE account_id = @id", LedgerAccount.OrgCredits(orgId));

    /// <summary>Rows of the agents directory: every identity the registry made has one (machines and org keys unlisted).</summary>
    public static async Task<long> DirectoryRows(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM agent_directory"))!;

    /// <summary>Every grain's kept state: a refused request creates no grain.</summary>
    public static async Task<long> GrainStates(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM orleans_grain_state"))!;

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
