namespace Actors.Grains.Offset;

[GenerateSerializer, Immutable]
public sealed record SessionUsage(
    [property: Id(0)] string SessionId,
    [property: Id(1)] UsageTotals Totals,
    [property: Id(2)] DateTimeOffset FirstReportedAt,
    [property: Id(3)] DateTimeOffset LastReportedAt);
