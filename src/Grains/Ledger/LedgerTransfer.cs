using Actors.Grains.Platform;

namespace Actors.Grains.Ledger;

/// <summary>One leg of a transfer: a positive amount credits the account, a negative one debits it.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerLeg([property: Id(0)] string AccountId, [property: Id(1)] long Amount);

/// <summary>
/// A balanced set of legs applied atomically under <see cref="TransferId"/>, the idempotency key:
/// the same id applied again changes nothing and answers with the first outcome.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LedgerTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string Kind,
    [property: Id(2)] IReadOnlyList<LedgerLeg> Legs,
    [property: Id(3)] long? MovedAmount = null)
{
    public const int MaxIdLength = 200;

    /// <summary>
    /// The common case: <paramref name="amount"/> from one account to another. The amount must be
    /// positive: a negative one would silently move money the other way, so <see cref="Check"/>
    /// refuses it (kept in <see cref="MovedAmount"/>) instead of applying the reverse.
    /// </summary>
    public static LedgerTransfer Move(string transferId, string kind, string from, string to, long amount) =>
        new(transferId, kind, [new LedgerLeg(from, unchecked(-amount)), new LedgerLeg(to, amount)], amount);

    /// <summary>A transfer the ledger can apply, or why not (a programming error in the caller).</summary>
    public Problem? Check()
    {
        if (string.IsNullOrEmpty(TransferId) || TransferId.Length > MaxIdLength) return Problem.Invalid("transferId", "transfer id is required (at most 200 characters)");
        if (string.IsNullOrEmpty(Kind)) return Problem.Invalid("kind", "transfer kind is required");
        if (MovedAmount is <= 0) return Problem.Invalid("amount", "the amount of a move must be positive");
        if (Legs.Count < 2) return Problem.Invalid("legs", "a transfer needs at least two legs");
        if (Legs.Any(l => l.Amount == 0 || string.IsNullOrEmpty(l.AccountId))) return Problem.Invalid("legs", "every leg needs an account and a non-zero amount");
        if (Legs.Select(l => l.AccountId).Distinct(StringComparer.Ordinal).Count() != Legs.Count) return Problem.Invalid("legs", "an account may appear once per transfer");
        // Summed wide, so no set of legs throws: the money a transfer moves (its credits, equal to its
        // debits when balanced) must fit a long, as every balance and total computed from it must.
        Int128 credits = 0, debits = 0;
        foreach (var leg in Legs)
        {
            if (leg.Amount > 0) credits += leg.Amount;
            else debits -= leg.Amount;
        }
        if (credits > long.MaxValue || debits > long.MaxValue) return Problem.Invalid("legs", "the amounts of a transfer must not exceed 9223372036854775807 in total");
        return credits != debits ? Problem.Invalid("legs", "the legs of a transfer must sum to zero") : null;
    }

    /// <summary>Canonical form of the legs: the same id with different legs is a different request.</summary>
    internal string Fingerprint() =>
        Kind + "|" + string.Join(";", Legs.OrderBy(l => l.AccountId, StringComparer.Ordinal).Select(l => $"{l.AccountId}={l.Amount}"));
}

public enum TransferStatus
{
    /// <summary>Written now.</summary>
    Applied,
    /// <summary>Written before under the same id with the same legs; nothing changed.</summary>
    Repeated,
    /// <summary>An account would go below zero; nothing was written.</summary>
    Insufficient,
    /// <summary>The id was used before with other legs; nothing was written.</summary>
    Mismatch,
}

/// <summary>The outcomes the ledger's SQL functions (<c>ledger_transfer</c>, <c>ledger_transfer_batch</c>) answer.</summary>
static class LedgerOutcome
{
    /// <summary>The status an outcome stands for; null for "missing" (an account of the transfer is not open yet).</summary>
    internal static TransferStatus? Status(string? outcome, string function) => outcome switch
    {
        "missing" => null,
        "applied" => TransferStatus.Applied,
        "repeated" => TransferStatus.Repeated,
        "insufficient" => TransferStatus.Insufficient,
        "mismatch" => TransferStatus.Mismatch,
        _ => throw new InvalidOperationException($"{function} answered '{outcome}'"),
    };
}

/// <summary>
/// What a transfer did. <see cref="Balances"/> holds, for each account the transfer debited
/// under the no-negative rule, its balance right after the transfer (for
/// <see cref="TransferStatus.Repeated"/>: right after the first application); for
/// <see cref="TransferStatus.Insufficient"/>, the short account's current balance. Credited
/// accounts are not locked, so their balance is not known here: read it with LedgerStore.Balance.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TransferResult(
    [property: Id(0)] TransferStatus Status,
    [property: Id(1)] IReadOnlyDictionary<string, long> Balances,
    [property: Id(2)] string? ShortAccount = null)
{
    public bool Succeeded => Status is TransferStatus.Applied or TransferStatus.Repeated;

    public long BalanceOf(string accountId) => Balances.TryGetValue(accountId, out var balance) ? balance : 0;
}
