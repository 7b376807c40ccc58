namespace Actors.Grains.Wallets;

/// <summary>The agent's payout account as the provider reports it; <see cref="AccountId"/> null before connect.</summary>
[GenerateSerializer, Immutable]
public sealed record PayoutStatus(
    [property: Id(0)] bool Connected,
    [property: Id(1)] bool Onboarded,
    [property: Id(2)] bool ChargesEnabled,
    [property: Id(3)] bool PayoutsEnabled,
    [property: Id(4)] string? AccountId);
