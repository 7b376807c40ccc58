namespace Actors.Grains.Market;

/// <summary>An agent's jobs: <see cref="Role"/> "buyer", "worker" or null (both); <see cref="Status"/> null for any.</summary>
[GenerateSerializer, Immutable]
public sealed record JobQuery(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string? Role,
    [property: Id(2)] string? Status,
    [property: Id(3)] int? Limit,
    [property: Id(4)] int? Offset);
