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

/// <summary><c>ApiKey</c> is set only when a key was issued by this call (shown once).</summary>
[GenerateSerializer, Immutable]
public sealed record MachineRegistered(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string? AgentId,
    [property: Id(2)] string? ApiKey,
    [property: Id(3)] bool Created,
    [property: Id(4)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record ClaimStarted(
    [property: Id(0)] string VerificationCode,
    [property: Id(1)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable]
public sealed record ClaimCompleted(
    [property: Id(0)] string MergedToUserId);

[GenerateSerializer, Immutable]
public sealed record ClaimConfirmed(
    [property: Id(0)] string? Hostname,
    [property: Id(1)] string Email);

[GenerateSerializer, Immutable]
public sealed record MachineStats(
    [property: Id(0)] long TotalMemories,
    [property: Id(1)] long TotalProjects,
    [property: Id(2)] long ApiCalls24h,
    [property: Id(3)] long StorageBytes,
    [property: Id(4)] DateTimeOffset CreatedAt);
