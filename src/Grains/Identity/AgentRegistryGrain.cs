using Actors.Grains.Platform;
using Actors.Grains.Market;

namespace Actors.Grains.Identity;

[StatelessWorker, Reentrant]
public sealed class AgentRegistryGrain(AgentDirectoryStore directory) : Grain, IAgentRegistryGrain
{
    public async Task<Result<AgentCreated>> Register(AgentRegistration registration)
    {
        var problem = AgentRules.CheckName(registration.Name)
            ?? AgentRules.CheckDescription(registration.Description)
            ?? AgentRules.CheckEmail("ownerEmail", registration.OwnerEmail);
        if (problem is not null) return problem;

        string? referrer = null;
        if (!string.IsNullOrWhiteSpace(registration.ReferralCode))
        {
            referrer = await directory.FindByReferralCode(registration.ReferralCode.Trim());
            if (referrer is null) return Problem.Invalid("referralCode", "Unknown referral code");
        }

        var agentId = RandomToken.Id("agt");
        return await GrainFactory.GetGrain<IAgentGrain>(agentId).Create(new NewAgent(
            registration.Name!, registration.Description, registration.OwnerEmail, referrer, registration.KeyPrefix,
            registration.ListedInDirectory));
    }

    public async Task<Result<AgentProfile>> Claim(string claimToken)
    {
        if (string.IsNullOrWhiteSpace(claimToken) || claimToken.Length > 200)
            return Problem.Invalid("token", "token is required");
        var redeemed = await GrainFactory.GetGrain<IClaimTokenGrain>("clm_" + SecretHash.Of(claimToken.Trim())).Redeem();
        if (redeemed.Problem is { } problem) return problem;
        var profile = await GrainFactory.GetGrain<IAgentGrain>(redeemed.Value!).MarkClaimed();
        return profile is null ? Problem.NotFound("Agent not found") : Result<AgentProfile>.Ok(profile);
    }
}
