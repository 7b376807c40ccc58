namespace Actors.Grains.Offset;

[GenerateSerializer, Immutable]
public sealed record UsageEvent(
    [property: Id(0)] long EventId,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string Model,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] long CachedInputTokens,
    [property: Id(6)] long ReasoningTokens,
    [property: Id(7)] string? ClientEventId,
    [property: Id(8)] DateTimeOffset ReportedAt);
