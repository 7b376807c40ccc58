namespace Actors.Grains.Market;

/// <summary>The operator's settlement of a disputed job: "release", "refund" or "split" (then <see cref="WorkerCents"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record JobResolution(
    [property: Id(0)] string? Outcome,
    [property: Id(1)] long? WorkerCents);
