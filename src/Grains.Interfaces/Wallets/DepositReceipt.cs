namespace Actors.Grains.Wallets;

[GenerateSerializer, Immutable]
public sealed record DepositReceipt(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] long AmountCents,
    [property: Id(2)] long BalanceAfter,
    [property: Id(3)] string AgentId,
    [property: Id(4)] string AgentName);
