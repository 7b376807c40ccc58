namespace Actors.Grains.Market;

/// <summary>An agent's code, how many agents registered with it, and what its REFERRAL_EARNING entries sum to.</summary>
[GenerateSerializer, Immutable]
public sealed record ReferralStats(
    [property: Id(0)] string ReferralCode,
    [property: Id(1)] int AgentsReferred,
    [property: Id(2)] long TotalEarningsCents);
