using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Actors.Grains.Access;

namespace Actors.Tests.Ledger;

/// <summary>The money core, driven directly: double entry, idempotent transfers, no negative balance.</summary>
[Collection(StackCollection.Name)]
public sealed class LedgerTests(ActorsStack stack)
{
    LedgerStore Ledger => stack.SiloServices.GetRequiredService<LedgerStore>();

    static string NewAccount(string kind) => $"test-{kind}:{Guid.NewGuid():N}";

    [Fact]
    public async Task A_deposit_from_the_world_credits_the_account_and_the_entries_sum_to_zero()
    {
        var wallet = NewAccount("wallet");

        var result = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 500));

        Assert.Equal(TransferStatus.Applied, result.Status);
        Assert.Equal(500, await Ledger.Balance(wallet));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());
    }

    [Fact]
    public async Task Applying_the_same_transfer_id_again_changes_nothing_and_returns_the_first_outcome()
    {
        var wallet = NewAccount("wallet");
        var shop = NewAccount("shop");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 300));
        var id = Guid.NewGuid().ToString("N");
        var first = await Ledger.Transfer(LedgerTransfer.Move(id, "pay", wallet, shop, 100));
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 1));

        var again = await Ledger.Transfer(LedgerTransfer.Move(id, "pay", wallet, shop, 100));

        Assert.Equal(TransferStatus.Applied, first.Status);
        Assert.Equal(TransferStatus.Repeated, again.Status);
        Assert.Equal(200, first.BalanceOf(wallet));
        Assert.Equal(200, again.BalanceOf(wallet));
        Assert.Equal(201, await Ledger.Balance(wallet));
        Assert.Equal(100, await Ledger.Balance(shop));
    }

    [Fact]
    public async Task The_same_transfer_id_with_other_legs_is_refused()
    {
        var wallet = NewAccount("wallet");
        var id = Guid.NewGuid().ToString("N");
        await Ledger.Transfer(LedgerTransfer.Move(id, "deposit", LedgerAccount.World, wallet, 300));

        var other = await Ledger.Transfer(LedgerTransfer.Move(id, "deposit", LedgerAccount.World, wallet, 999));

        Assert.Equal(TransferStatus.Mismatch, other.Status);
        Assert.Equal(300, await Ledger.Balance(wallet));
    }

    [Fact]
    public async Task A_transfer_that_would_overdraw_writes_nothing()
    {
        var from = NewAccount("wallet");
        var to = NewAccount("wallet");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 5));

        var result = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 6));

        Assert.Equal(TransferStatus.Insufficient, result.Status);
        Assert.Equal(from, result.ShortAccount);
        Assert.Equal(5, await Ledger.Balance(from));
        Assert.Equal(0, await Ledger.Balance(to));
    }

    [Fact]
    public async Task Concurrent_spends_never_take_a_balance_below_zero()
    {
        var from = NewAccount("wallet");
        var to = NewAccount("revenue");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 10));

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
            Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 1)))));

        Assert.Equal(10, results.Count(r => r.Status == TransferStatus.Applied));
        Assert.Equal(30, results.Count(r => r.Status == TransferStatus.Insufficient));
        Assert.Equal(0, await Ledger.Balance(from));
        Assert.Equal(10, await Ledger.Balance(to));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_transfer_apply_it_once()
    {
        var wallet = NewAccount("wallet");
        var shop = NewAccount("shop");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 10));
        var id = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Ledger.Transfer(LedgerTransfer.Move(id, "pay", wallet, shop, 7)))));

        Assert.Equal(1, results.Count(r => r.Status == TransferStatus.Applied));
        Assert.Equal(19, results.Count(r => r.Status == TransferStatus.Repeated));
        Assert.All(results, r => Assert.Equal(3, r.BalanceOf(wallet)));
        Assert.Equal(3, await Ledger.Balance(wallet));
        Assert.Equal(7, await Ledger.Balance(shop));
    }

    [Fact]
    public async Task Many_payers_credit_one_payee_concurrently_and_its_next_debit_sees_every_credit()
    {
        var payee = NewAccount("publisher");
        var payers = Enumerable.Range(0, 30).Select(_ => NewAccount("wallet")).ToArray();
        foreach (var payer in payers)
            await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, payer, 5));

        await Task.WhenAll(payers.Select(payer => Task.Run(() =>
            Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", payer, payee, 5)))));
        var payout = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "payout", payee, LedgerAccount.World, 150));
        var overdraw = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "payout", payee, LedgerAccount.World, 1));

        Assert.Equal(TransferStatus.Applied, payout.Status);
        Assert.Equal(0, payout.BalanceOf(payee));
        Assert.Equal(TransferStatus.Insufficient, overdraw.Status);
        Assert.Equal(0, await Ledger.Balance(payee));
        Assert.Equal(0, await Ledger.DriftedAccounts());
        Assert.Equal(0, await Ledger.SumOfAllEntries());
    }

    [Fact]
    public async Task A_multi_leg_transfer_moves_all_legs_or_none()
    {
        var payer = NewAccount("wallet");
        var payee = NewAccount("wallet");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, payer, 100));

        var split = new LedgerTransfer(Guid.NewGuid().ToString("N"), "payment",
            [new LedgerLeg(payer, -100), new LedgerLeg(payee, 90), new LedgerLeg(LedgerAccount.Platform, 10)]);
        Assert.Equal(TransferStatus.Applied, (await Ledger.Transfer(split)).Status);
        var tooMuch = new LedgerTransfer(Guid.NewGuid().ToString("N"), "payment",
            [new LedgerLeg(payee, -91), new LedgerLeg(payer, 91)]);
        Assert.Equal(TransferStatus.Insufficient, (await Ledger.Transfer(tooMuch)).Status);

        Assert.Equal(0, await Ledger.Balance(payer));
        Assert.Equal(90, await Ledger.Balance(payee));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
    }

    [Fact]
    public async Task A_row_written_with_a_transfer_commits_only_if_the_transfer_does()
    {
        var from = NewAccount("wallet");
        var to = NewAccount("shop");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 5));
        LedgerWrite Row(string hash) => Actors.Grains.Access.AccessTokenStore.Insert(hash, new Actors.Grains.Access.AccessGrant(
            "org_test", "agt_test", "test.example", "c", "ret_test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5)));
        var paid = Guid.NewGuid().ToString("N");
        var unpaid = Guid.NewGuid().ToString("N");

        var applied = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 5), Row(paid));
        var refused = await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 5), Row(unpaid));

        Assert.Equal(TransferStatus.Applied, applied.Status);
        Assert.Equal(TransferStatus.Insufficient, refused.Status);
        await using var db = Npgsql.NpgsqlDataSource.Create(stack.Postgres.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT token_hash FROM access_tokens WHERE token_hash = ANY($1)");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { paid, unpaid } });
        Assert.Equal(paid, await cmd.ExecuteScalarAsync() as string);
        await using var count = db.CreateCommand("SELECT count(*) FROM access_tokens WHERE token_hash = $1");
        count.Parameters.Add(new Npgsql.NpgsqlParameter { Value = unpaid });
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    LedgerGroupCommit Batched => stack.SiloServices.GetRequiredService<LedgerGroupCommit>();

    [Fact]
    public async Task One_batch_checks_each_transfer_against_what_the_ones_before_it_left()
    {
        var wallet = NewAccount("wallet");
        var shop = NewAccount("shop");
        var unopened = NewAccount("wallet");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 5));
        var deposit = Guid.NewGuid().ToString("N");
        await Ledger.Transfer(LedgerTransfer.Move(deposit, "deposit", LedgerAccount.World, shop, 1));
        var earlier = Guid.NewGuid().ToString("N");
        await Ledger.Transfer(LedgerTransfer.Move(earlier, "pay", shop, wallet, 1));
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        string Fp(long amount) => $"pay|{shop}={amount};{wallet}={-amount}";

        // Straight into the function: wallet (6 after the earlier credit) is debited 4, 4 and 2 in one
        // batch; then an earlier transfer again with the same legs, another with other legs; then an unopened account.
        await using var db = Npgsql.NpgsqlDataSource.Create(stack.Postgres.ConnectionString);
        await using var cmd = db.CreateCommand(
            "SELECT transfer_index, outcome, account_id, balance FROM ledger_transfer_batch($1, $2, $3, $4, $5, $6, now()) ORDER BY 1, 3 NULLS FIRST");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { ids[0], ids[1], ids[2], earlier, deposit, ids[3] } });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { "pay", "pay", "pay", "pay", "pay", "pay" } });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { Fp(4), Fp(4), Fp(2), $"pay|{shop}=-1;{wallet}=1", "pay|other", "pay|x" } });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6 } });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { wallet, shop, wallet, shop, wallet, shop, shop, wallet, shop, wallet, unopened, shop } });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new long[] { -4, 4, -4, 4, -2, 2, -1, 1, -1, 1, -1, 1 } });
        var rows = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add($"{reader.GetInt32(0)} {reader.GetString(1)} {(reader.IsDBNull(2) ? "-" : reader.GetString(2) == wallet ? "wallet" : "shop")} {(reader.IsDBNull(3) ? "-" : reader.GetInt64(3))}");

        Assert.Equal([
            "1 applied - -", "1 applied wallet 2",
            "2 insufficient - -", "2 insufficient wallet 2",
            "3 applied - -", "3 applied wallet 0",
            "4 repeated - -", "4 repeated shop 0",
            "5 mismatch - -",
            "6 missing - -"], rows);
        Assert.Equal(0, await Ledger.Balance(wallet));
        Assert.Equal(6, await Ledger.Balance(shop));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());
    }

    [Fact]
    public async Task Group_commit_gives_each_transfer_its_own_outcome_and_never_overdraws()
    {
        var from = NewAccount("wallet");
        var to = NewAccount("revenue");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 10));
        var repeated = Guid.NewGuid().ToString("N");
        LedgerWrite Row(string hash) => Actors.Grains.Access.AccessTokenStore.Insert(hash, new Actors.Grains.Access.AccessGrant(
            "org_test", "agt_test", "test.example", "c", "ret_test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5)));
        var hashes = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid().ToString("N")).ToArray();

        // 50 different spends of 1 and 10 repeats of one spend of 1, all at once, each with its row.
        var results = await Task.WhenAll(hashes.Select((hash, i) => Task.Run(() => Batched.Transfer(
            LedgerTransfer.Move(i < 50 ? Guid.NewGuid().ToString("N") : repeated, "pay", from, to, 1), Row(hash)))));

        var succeeded = results.Select((r, i) => (r, i)).Where(x => x.r.Succeeded).Select(x => hashes[x.i]).ToArray();
        Assert.Equal(10, results.Count(r => r.Status == TransferStatus.Applied));
        Assert.Equal(50, results.Count(r => r.Status == TransferStatus.Insufficient) + results.Count(r => r.Status == TransferStatus.Repeated));
        Assert.True(results.Skip(50).Count(r => r.Status == TransferStatus.Applied) <= 1);
        Assert.Equal(0, await Ledger.Balance(from));
        Assert.Equal(10, await Ledger.Balance(to));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());
        Assert.All(results.Where(r => r.Status == TransferStatus.Applied), r => Assert.InRange(r.BalanceOf(from), 0, 9));

        await using var db = Npgsql.NpgsqlDataSource.Create(stack.Postgres.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT token_hash FROM access_tokens WHERE token_hash = ANY($1)");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = hashes });
        var written = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) written.Add(reader.GetString(0));
        Assert.Equal(succeeded.Order(), written.Order());
    }

    [Fact]
    public async Task Group_commit_opens_new_accounts_together_and_applies_their_transfers_with_their_rows()
    {
        var from = NewAccount("wallet");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 30));
        var escrows = Enumerable.Range(0, 40).Select(_ => NewAccount("escrow")).ToArray();
        var ids = escrows.Select(_ => Guid.NewGuid().ToString("N")).ToArray();

        // 40 transfers at once, each into an account never opened (a new job's escrow), each with its
        // wallet row: 30 fit the wallet. A repeat of each afterwards changes nothing.
        var results = await Task.WhenAll(escrows.Select((escrow, i) => Task.Run(() => Batched.Transfer(
            LedgerTransfer.Move(ids[i], "job-escrow", from, escrow, 1), Actors.Grains.Wallets.WalletLedger.Details(ids[i], "test escrow")))));
        var again = await Task.WhenAll(escrows.Select((escrow, i) => Batched.Transfer(
            LedgerTransfer.Move(ids[i], "job-escrow", from, escrow, 1), Actors.Grains.Wallets.WalletLedger.Details(ids[i], "test escrow"))));

        Assert.Equal(30, results.Count(r => r.Status == TransferStatus.Applied));
        Assert.Equal(10, results.Count(r => r.Status == TransferStatus.Insufficient));
        Assert.Equal(results.Select(r => r.Succeeded), again.Select(r => r.Succeeded));
        Assert.DoesNotContain(again, r => r.Status == TransferStatus.Applied);
        Assert.Equal(0, await Ledger.Balance(from));
        Assert.Equal(30, (await Task.WhenAll(escrows.Select(e => Ledger.Balance(e)))).Sum());
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());
        Assert.Equal(30L, await stack.Postgres.Scalar("SELECT count(*) FROM wallet_transfers WHERE transfer_id = ANY(@ids)", ("ids", ids)));
    }

    [Fact]
    public async Task A_writer_whose_connection_was_cut_opens_a_new_one_and_a_retry_applies_once()
    {
        var from = NewAccount("wallet");
        var to = NewAccount("shop");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, from, 10));
        Assert.Equal(TransferStatus.Applied, (await Batched.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 1))).Status);

        // Cut the connection the writer keeps between batches, as a database restart or a proxy would.
        const string BatchStatement = "WITH r AS MATERIALIZED (SELECT transfer_index";
        var cut = await stack.Postgres.CutSessionsRunning(BatchStatement);
        Assert.NotEmpty(cut);

        // The first transfer after the cut meets the dead connection: it fails (whether it committed is
        // unknown) or is applied on its own; its retry, with the same id, is applied exactly once.
        var pay = LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 2);
        TransferResult? first = null;
        try { first = await Batched.Transfer(pay); }
        catch (Exception e) when (e is Npgsql.NpgsqlException or IOException) { }
        var retry = await Batched.Transfer(pay);
        Assert.Contains(retry.Status, new[] { TransferStatus.Applied, TransferStatus.Repeated });
        Assert.True(first is null || first.Status == TransferStatus.Applied && retry.Status == TransferStatus.Repeated);
        Assert.Equal(TransferStatus.Applied, (await Batched.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "pay", from, to, 3))).Status);
        Assert.Equal(4, await Ledger.Balance(from));
        Assert.Equal(6, await Ledger.Balance(to));
        Assert.Equal(0, await Ledger.SumOfAllEntries());
        Assert.Equal(0, await Ledger.DriftedAccounts());

        // Batches go out again, on a new connection.
        Assert.True(await stack.Postgres.SessionsRunning(BatchStatement, except: cut) >= 1);
    }

    [Fact]
    public async Task A_group_with_an_invalid_transfer_refuses_that_one_alone_and_applies_the_rest_together()
    {
        var wallet = NewAccount("wallet");
        await Ledger.Transfer(LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 1)); // opens it
        var unbalanced = new LedgerTransfer(Guid.NewGuid().ToString("N"), "deposit", [new LedgerLeg(LedgerAccount.World, -1), new LedgerLeg(wallet, 2)]);
        var deposit = LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 3);
        var again = LedgerTransfer.Move(Guid.NewGuid().ToString("N"), "deposit", LedgerAccount.World, wallet, 4);

        var results = Batched.TransferAll([(deposit, null), (unbalanced, null), (again, null), (deposit, null)]);

        await Assert.ThrowsAsync<ArgumentException>(() => results[1]);
        Assert.Equal(TransferStatus.Applied, (await results[0]).Status);
        Assert.Equal(TransferStatus.Applied, (await results[2]).Status);
        Assert.Equal(TransferStatus.Repeated, (await results[3]).Status); // the same id in one group: applied after it, alone
        Assert.Equal(8, await Ledger.Balance(wallet));
        Assert.False(await Ledger.TransferExists(unbalanced.TransferId));
    }

    [Fact]
    public void Unbalanced_transfers_are_rejected_before_reaching_the_database()
    {
        var unbalanced = new LedgerTransfer("t", "x", [new LedgerLeg("a", -1), new LedgerLeg("b", 2)]);
        Assert.NotNull(unbalanced.Check());
        Assert.NotNull(new LedgerTransfer("t", "x", [new LedgerLeg("a", -1), new LedgerLeg("a", 1)]).Check());
    }
}
