namespace Actors.Tests.Infrastructure;

/// <summary>Money as PostgreSQL keeps it, counted straight from the ledger's tables.</summary>
public static class StoredMoney
{
    /// <summary>Ledger accounts whose folded balance is below zero although they may not go negative (only <c>world</c> may).</summary>
    public static async Task<long> AccountsBelowZero(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM ledger_accounts WHERE balance < 0 AND NOT may_go_negative"))!;
}
