using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Market;

[StatelessWorker, Reentrant]
public sealed class ReferralGrain(ReferralStore referrals) : Grain, IReferralGrain
{
    public async Task<Result<ReferralStats>> GetStats(string agentId)
    {
        // The code is the agent's own (drawn at registration, never changed); the counts are read models.
        var profile = await GrainFactory.GetGrain<IAgentGrain>(agentId).GetProfile();
        if (profile is null) return Problem.NotFound("Agent not found");
        var (referred, earned) = await referrals.Of(agentId);
        return Result<ReferralStats>.Ok(new ReferralStats(profile.ReferralCode, referred, earned));
    }
}
