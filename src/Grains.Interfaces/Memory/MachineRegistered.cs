namespace Actors.Grains.Memory;

/// <summary><c>ApiKey</c> is set only when a key was issued by this call (shown once).</summary>
[GenerateSerializer, Immutable]
public sealed record MachineRegistered(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string? AgentId,
    [property: Id(2)] string? ApiKey,
    [property: Id(3)] bool Created,
    [property: Id(4)] DateTimeOffset CreatedAt);
