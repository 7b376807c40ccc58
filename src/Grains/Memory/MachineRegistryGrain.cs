using Actors.Grains.Platform;
using Actors.Grains.Identity;

namespace Actors.Grains.Memory;

[StatelessWorker]
public sealed class MachineRegistryGrain(MachineFingerprint fingerprints) : Grain, IMachineRegistryGrain
{
    public async Task<Result<MachineRegistered>> AutoRegister(MachineRegistration registration, string? callerAgentId)
    {
        var problem = MemoryRules.CheckFingerprint(registration.Fingerprint)
            ?? MemoryRules.CheckPlatform(registration.Platform)
            ?? MemoryRules.CheckHostname(registration.Hostname);
        if (problem is not null) return problem;
        return await Machine(registration.Fingerprint!).Register(
            registration.Platform?.Trim().ToLowerInvariant(), registration.Hostname?.Trim(), callerAgentId);
    }

    public async Task<Result<ClaimStarted>> InitClaim(string? fingerprint, string? email, string callerAgentId)
    {
        var problem = MemoryRules.CheckFingerprint(fingerprint)
            ?? (string.IsNullOrWhiteSpace(email) ? Problem.Invalid("email", "email is required") : AgentRules.CheckEmail("email", email));
        if (problem is not null) return problem;
        return await Machine(fingerprint!).InitClaim(email!, callerAgentId);
    }

    public async Task<Result<ClaimCompleted>> VerifyClaim(string? fingerprint, string? code, string callerAgentId)
    {
        var problem = MemoryRules.CheckFingerprint(fingerprint) ?? MemoryRules.CheckCode(code);
        if (problem is not null) return problem;
        return await Machine(fingerprint!).VerifyClaim(code!, callerAgentId);
    }

    public async Task<Result<ClaimConfirmed>> ConfirmClaim(string? machineId, string? token)
    {
        if (string.IsNullOrWhiteSpace(machineId) || !machineId.StartsWith("mch_", StringComparison.Ordinal) || machineId.Length > 100)
            return Problem.Invalid("machine_id", "machine_id from the confirmation link is required");
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
            return Problem.Invalid("token", "token from the confirmation link is required");
        return await GrainFactory.GetGrain<IMachineAccountGrain>(machineId).ConfirmClaim(token.Trim());
    }

    public async Task<Result<MachineStats>> GetStats(string? fingerprint, string callerAgentId)
    {
        if (MemoryRules.CheckFingerprint(fingerprint) is { } problem) return problem;
        return await Machine(fingerprint!).GetStats(callerAgentId);
    }

    IMachineAccountGrain Machine(string fingerprint) =>
        GrainFactory.GetGrain<IMachineAccountGrain>(fingerprints.MachineId(fingerprint.Trim()));
}
