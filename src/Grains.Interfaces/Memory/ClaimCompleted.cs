namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record ClaimCompleted(
    [property: Id(0)] string MergedToUserId);
