using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

/// <summary>
/// Stateless entry point for self-registration: validates, resolves a referral code, picks a
/// fresh agent id and hands over to that agent's grain.
/// </summary>
public interface IAgentRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry activation (a stateless worker picks ids and hands over to the agent grains).</summary>
    const string Key = "registry";

    Task<Result<AgentCreated>> Register(AgentRegistration registration);

    /// <summary>Redeems an emailed claim token (single use, expiring).</summary>
    Task<Result<AgentProfile>> Claim(string claimToken);
}

[GenerateSerializer, Immutable]
public sealed record AgentRegistration(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? OwnerEmail,
    [property: Id(3)] string? ReferralCode,
    [property: Id(4)] string KeyPrefix,
    [property: Id(5)] bool ListedInDirectory = true);
