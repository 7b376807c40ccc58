namespace Actors.Grains.Offset;

[GenerateSerializer, Immutable]
public sealed record UsageRecorded(
    [property: Id(0)] long EventId,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] DateTimeOffset ReportedAt);
