namespace Actors.Grains.Wallets;

/// <summary>A wallet as its agent sees it: the ledger's balance and its latest entries, newest first.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletView(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string AgentName,
    [property: Id(2)] long BalanceCents,
    [property: Id(3)] IReadOnlyList<WalletTransaction> Transactions);
