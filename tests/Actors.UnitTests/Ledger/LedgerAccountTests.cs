using Actors.Grains.Ledger;

namespace Actors.UnitTests.Ledger;

/// <summary>The one place that names ledger accounts, and the rows written beside a transfer.</summary>
public sealed class LedgerAccountTests
{
    [Fact]
    public void Accounts_are_named_by_kind_and_owner()
    {
        Assert.Equal("world", LedgerAccount.World);
        Assert.Equal("platform", LedgerAccount.Platform);
        Assert.Equal("wallet:agt_1", LedgerAccount.AgentWallet("agt_1"));
        Assert.Equal("org-credits:org_1", LedgerAccount.OrgCredits("org_1"));
        Assert.Equal("publisher:dom_news.example", LedgerAccount.PublisherRevenue("dom_news.example"));
        Assert.Equal("escrow:job_1", LedgerAccount.EscrowHold("job_1"));
    }

    [Fact]
    public void Accounts_of_different_kinds_never_collide_for_the_same_owner()
    {
        var names = new[] { LedgerAccount.AgentWallet("x"), LedgerAccount.OrgCredits("x"), LedgerAccount.PublisherRevenue("x"), LedgerAccount.EscrowHold("x") };

        Assert.Equal(4, names.Distinct().Count());
    }

    [Fact]
    public void A_row_written_beside_a_transfer_shares_an_insert_with_rows_of_the_same_table_and_columns()
    {
        var one = new LedgerWrite("access_tokens", ["token_hash", "org_id"], ["h1", "org_1"]);
        var two = new LedgerWrite("access_tokens", ["token_hash", "org_id"], ["h2", null]);

        Assert.Equal("access_tokens(token_hash,org_id)", one.Shape);
        Assert.Equal(one.Shape, two.Shape);
        Assert.NotEqual(one.Shape, new LedgerWrite("access_tokens", ["org_id", "token_hash"], ["org_1", "h1"]).Shape);
    }

    [Fact]
    public void A_row_is_inserted_only_if_its_transfer_was_recorded_with_the_same_fingerprint()
    {
        var command = new LedgerWrite("access_tokens", ["token_hash", "org_id"], ["h1", null]).Command("tr_1", "fp");

        Assert.Equal("INSERT INTO access_tokens (token_hash, org_id) SELECT $3, $4 " +
            "WHERE EXISTS (SELECT 1 FROM ledger_transfers WHERE transfer_id = $1 AND fingerprint = $2) ON CONFLICT DO NOTHING", command.CommandText);
        Assert.Equal(["tr_1", "fp", "h1", DBNull.Value], command.Parameters.Select(p => p.Value));
    }
}
