using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

/// <summary>A claim token emailed to an agent's owner, keyed by <c>clm_</c> + SHA-256 of the token.</summary>
public interface IClaimTokenGrain : IGrainWithStringKey
{
    Task Issue(string agentId, DateTimeOffset expiresAt);

    /// <summary>Returns the agent id once; later calls, unknown and expired tokens are problems.</summary>
    Task<Result<string>> Redeem();
}
