using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>Referral stats (stateless worker): what the registry and the ledger say about an agent's code.</summary>
public interface IReferralGrain : IGrainWithStringKey
{
    const string Key = "referrals";

    [ReadOnly]
    Task<Result<ReferralStats>> GetStats(string agentId);
}
