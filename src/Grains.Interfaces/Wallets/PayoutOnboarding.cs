namespace Actors.Grains.Wallets;

/// <summary>Where the agent's operator completes payout onboarding, for payout account <see cref="AccountId"/> (<c>acct_…</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record PayoutOnboarding(
    [property: Id(0)] string OnboardingUrl,
    [property: Id(1)] string AccountId);
