namespace Actors.Grains.Wallets;

/// <summary>
/// One ledger entry on a wallet: <see cref="AmountCents"/> is signed (credits positive),
/// <see cref="BalanceAfter"/> the wallet's balance right after it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WalletTransaction(
    [property: Id(0)] string Id,
    [property: Id(1)] long AmountCents,
    [property: Id(2)] WalletTransactionType Type,
    [property: Id(3)] string Description,
    [property: Id(4)] string? JobId,
    [property: Id(5)] long BalanceAfter,
    [property: Id(6)] DateTimeOffset CreatedAt);
