namespace Actors.Grains.Memory;

[GenerateSerializer, Immutable]
public sealed record ClaimConfirmed(
    [property: Id(0)] string? Hostname,
    [property: Id(1)] string Email);
