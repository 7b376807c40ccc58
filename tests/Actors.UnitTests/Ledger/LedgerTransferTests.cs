using Actors.Grains.Ledger;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Ledger;

/// <summary>What a transfer must be before the ledger applies it, and the fingerprint that recognises a repeat.</summary>
public sealed class LedgerTransferTests
{
    static LedgerTransfer Transfer(params (string Account, long Amount)[] legs) =>
        new("tr_1", "job.release", [.. legs.Select(l => new LedgerLeg(l.Account, l.Amount))]);

    static void InvalidLegs(LedgerTransfer transfer, string message)
    {
        var problem = transfer.Check();

        Assert.Equal(ProblemKind.Invalid, problem?.Kind);
        Assert.Equal("legs", problem!.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void A_move_debits_the_source_and_credits_the_destination_and_is_valid()
    {
        var move = LedgerTransfer.Move("tr_1", "deposit", LedgerAccount.World, "wallet:agt_1", 500);

        Assert.Equal([new LedgerLeg("world", -500), new LedgerLeg("wallet:agt_1", 500)], move.Legs);
        Assert.Equal("tr_1", move.TransferId);
        Assert.Equal("deposit", move.Kind);
        Assert.Null(move.Check());
    }

    [Fact]
    public void A_release_to_worker_platform_and_referrer_balances_in_one_transfer()
    {
        Assert.Null(Transfer(("escrow:job_1", -1_000), ("wallet:agt_w", 880), ("platform", 100), ("wallet:agt_r", 20)).Check());
    }

    [Fact]
    public void The_transfer_id_is_required_and_at_most_200_characters()
    {
        var legs = new[] { new LedgerLeg("a", -1), new LedgerLeg("b", 1) };

        Assert.Null(new LedgerTransfer(new string('t', 200), "k", legs).Check());
        Assert.Equal("transferId", new LedgerTransfer(new string('t', 201), "k", legs).Check()?.Field);
        Assert.Equal("transferId", new LedgerTransfer("", "k", legs).Check()?.Field);
    }

    [Fact]
    public void The_kind_is_required()
    {
        Assert.Equal("kind", new LedgerTransfer("tr_1", "", [new LedgerLeg("a", -1), new LedgerLeg("b", 1)]).Check()?.Field);
    }

    [Fact]
    public void A_transfer_needs_at_least_two_legs()
    {
        InvalidLegs(Transfer(), "a transfer needs at least two legs");
        InvalidLegs(Transfer(("a", 0)), "a transfer needs at least two legs");
    }

    [Fact]
    public void Every_leg_needs_an_account_and_a_non_zero_amount()
    {
        InvalidLegs(Transfer(("a", -5), ("b", 5), ("c", 0)), "every leg needs an account and a non-zero amount");
        InvalidLegs(Transfer(("a", -5), ("", 5)), "every leg needs an account and a non-zero amount");
    }

    [Fact]
    public void An_account_appears_once_per_transfer()
    {
        InvalidLegs(Transfer(("a", -5), ("a", 5)), "an account may appear once per transfer");
        InvalidLegs(Transfer(("a", -5), ("b", 3), ("a", 2)), "an account may appear once per transfer");
    }

    [Fact]
    public void Accounts_are_compared_ordinally_so_case_makes_another_account()
    {
        Assert.Null(Transfer(("wallet:agt_a", -5), ("wallet:agt_A", 5)).Check());
    }

    [Theory]
    [InlineData(-5, 4)]
    [InlineData(-5, 6)]
    [InlineData(5, 5)]
    public void The_legs_must_sum_to_zero(long debit, long credit)
    {
        InvalidLegs(Transfer(("a", debit), ("b", credit)), "the legs of a transfer must sum to zero");
    }

    [Fact]
    public void Checks_run_in_order_id_kind_leg_count_legs_duplicates_sum()
    {
        Assert.Equal("transferId", new LedgerTransfer("", "", []).Check()?.Field);
        Assert.Equal("kind", new LedgerTransfer("tr", "", []).Check()?.Field);
        InvalidLegs(Transfer(("a", 0), ("a", 7)), "every leg needs an account and a non-zero amount");
        InvalidLegs(Transfer(("a", 1), ("a", 7)), "an account may appear once per transfer");
    }

    // Issue 12: a sum that overflows a long is a Problem, not an OverflowException.
    [Fact]
    public void A_sum_that_overflows_a_long_is_a_problem_not_an_exception()
    {
        const string TooLarge = "the amounts of a transfer must not exceed 9223372036854775807 in total";
        InvalidLegs(Transfer(("a", long.MaxValue), ("b", 1), ("c", long.MinValue)), TooLarge);
        InvalidLegs(Transfer(("a", long.MaxValue), ("b", long.MaxValue), ("c", -1)), TooLarge);
        InvalidLegs(Transfer(("a", long.MinValue), ("b", long.MaxValue)), TooLarge);
        Assert.Null(Transfer(("a", -long.MaxValue), ("b", long.MaxValue - 1), ("c", 1)).Check());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-500)]
    [InlineData(long.MinValue)]
    public void A_move_of_a_non_positive_amount_is_a_problem_not_a_reversed_move(long amount)
    {
        var problem = LedgerTransfer.Move("tr_1", "k", "a", "b", amount).Check();

        Assert.Equal(ProblemKind.Invalid, problem?.Kind);
        Assert.Equal("amount", problem!.Field);
        Assert.Equal("the amount of a move must be positive", problem.Message);
    }

    [Fact]
    public void A_move_of_the_largest_amount_is_valid()
    {
        Assert.Null(LedgerTransfer.Move("tr_1", "k", "a", "b", long.MaxValue).Check());
        Assert.Null(LedgerTransfer.Move("tr_1", "k", "a", "b", 1).Check());
    }

    [Fact]
    public void The_fingerprint_is_the_kind_and_the_legs_sorted_by_account()
    {
        var transfer = Transfer(("wallet:b", 3), ("escrow:a", -5), ("Platform", 2));

        Assert.Equal("job.release|Platform=2;escrow:a=-5;wallet:b=3", transfer.Fingerprint());
    }

    [Fact]
    public void The_fingerprint_ignores_the_transfer_id_and_the_order_of_the_legs()
    {
        var one = new LedgerTransfer("tr_1", "k", [new LedgerLeg("a", -5), new LedgerLeg("b", 5)]);
        var other = new LedgerTransfer("tr_2", "k", [new LedgerLeg("b", 5), new LedgerLeg("a", -5)]);

        Assert.Equal(one.Fingerprint(), other.Fingerprint());
    }

    [Fact]
    public void Another_kind_amount_or_account_is_another_fingerprint()
    {
        var base_ = LedgerTransfer.Move("tr", "k", "a", "b", 5).Fingerprint();

        Assert.NotEqual(base_, LedgerTransfer.Move("tr", "k2", "a", "b", 5).Fingerprint());
        Assert.NotEqual(base_, LedgerTransfer.Move("tr", "k", "a", "b", 6).Fingerprint());
        Assert.NotEqual(base_, LedgerTransfer.Move("tr", "k", "a", "c", 5).Fingerprint());
        Assert.NotEqual(base_, LedgerTransfer.Move("tr", "k", "b", "a", 5).Fingerprint());
    }

    [Fact]
    public void Applied_and_repeated_transfers_succeeded_and_unknown_balances_read_as_zero()
    {
        var balances = new Dictionary<string, long> { ["wallet:agt_1"] = 42 };

        Assert.True(new TransferResult(TransferStatus.Applied, balances).Succeeded);
        Assert.True(new TransferResult(TransferStatus.Repeated, balances).Succeeded);
        Assert.False(new TransferResult(TransferStatus.Insufficient, balances, "wallet:agt_1").Succeeded);
        Assert.False(new TransferResult(TransferStatus.Mismatch, balances).Succeeded);
        Assert.Equal(42, new TransferResult(TransferStatus.Applied, balances).BalanceOf("wallet:agt_1"));
        Assert.Equal(0, new TransferResult(TransferStatus.Applied, balances).BalanceOf("wallet:agt_2"));
    }
}
