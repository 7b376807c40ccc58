using Actors.Grains.Platform;

namespace Actors.Grains.Memory;

/// <summary>
/// Stateless entry point of the memory surface's machine accounts: validates what a client sent,
/// turns the raw fingerprint into its keyed hash (the raw value is never stored) and hands over to
/// that machine's <see cref="IMachineAccountGrain"/>. <c>callerAgentId</c> is the authenticated
/// agent (null when the request carried no key).
/// </summary>
public interface IMachineRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry has one key.</summary>
    const string Key = "machines";

    Task<Result<MachineRegistered>> AutoRegister(MachineRegistration registration, string? callerAgentId);

    Task<Result<ClaimStarted>> InitClaim(string? fingerprint, string? email, string callerAgentId);

    Task<Result<ClaimCompleted>> VerifyClaim(string? fingerprint, string? code, string callerAgentId);

    /// <summary>The human's explicit confirmation from the emailed page (token from the link).</summary>
    Task<Result<ClaimConfirmed>> ConfirmClaim(string? machineId, string? token);

    Task<Result<MachineStats>> GetStats(string? fingerprint, string callerAgentId);
}

[GenerateSerializer, Immutable]
public sealed record MachineRegistration(
    [property: Id(0)] string? Fingerprint,
    [property: Id(1)] string? Platform,
    [property: Id(2)] string? Hostname);
