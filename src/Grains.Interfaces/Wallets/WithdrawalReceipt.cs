namespace Actors.Grains.Wallets;

/// <summary><see cref="TransferId"/> is the provider's payout id (<c>tr_…</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record WithdrawalReceipt(
    [property: Id(0)] long AmountCents,
    [property: Id(1)] string TransferId,
    [property: Id(2)] long BalanceAfter);
