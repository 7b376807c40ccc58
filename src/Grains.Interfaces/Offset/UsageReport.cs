namespace Actors.Grains.Offset;

/// <summary>One model turn as an agent reports it (unvalidated: the link grain checks it).</summary>
[GenerateSerializer, Immutable]
public sealed record UsageReport(
    [property: Id(0)] string? SessionId,
    [property: Id(1)] string? Model,
    [property: Id(2)] long? InputTokens,
    [property: Id(3)] long? OutputTokens,
    [property: Id(4)] long? CachedInputTokens,
    [property: Id(5)] long? ReasoningTokens,
    [property: Id(6)] string? ClientEventId);
