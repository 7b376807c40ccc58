using Actors.Grains.Platform;

namespace Actors.Grains.Memory;

/// <summary>
/// One machine account, keyed <c>mch_</c> + keyed hash of the machine fingerprint (see
/// <c>MachineFingerprint</c>). Owns the machine's agents, its pending claim (code hash,
/// attempts, human confirmation) and who claimed it. Its memories live in the <c>memories</c> table.
/// </summary>
public interface IMachineAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// First call creates the account and its first agent (key returned once). Later calls find
    /// the account: an agent already on this machine gets a new agent and key on the same pool;
    /// anyone else gets the account without a key.
    /// </summary>
    Task<Result<MachineRegistered>> Register(string? platform, string? hostname, string? callerAgentId);

    Task<Result<ClaimStarted>> InitClaim(string email, string callerAgentId);

    Task<Result<ClaimCompleted>> VerifyClaim(string code, string callerAgentId);

    Task<Result<ClaimConfirmed>> ConfirmClaim(string token);

    /// <summary>What a human's dashboard shows of this machine; null when it does not exist.</summary>
    [ReadOnly]
    Task<MachineSummary?> GetSummary();

    Task<Result<MachineStats>> GetStats(string callerAgentId);
}

[GenerateSerializer, Immutable]
public sealed record MachineSummary(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string? Platform,
    [property: Id(2)] string? Hostname,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string? ClaimedByUserId,
    [property: Id(5)] string? ClaimedByEmail,
    [property: Id(6)] DateTimeOffset? ClaimedAt,
    [property: Id(7)] IReadOnlyList<string> AgentIds,
    [property: Id(8)] long TotalMemories,
    [property: Id(9)] long TotalProjects,
    [property: Id(10)] long StorageBytes);
