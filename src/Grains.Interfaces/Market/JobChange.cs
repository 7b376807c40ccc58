namespace Actors.Grains.Market;

/// <summary>A PATCH of a job: <see cref="Action"/> and what that action takes (output to deliver, rating and review to complete).</summary>
[GenerateSerializer, Immutable]
public sealed record JobChange(
    [property: Id(0)] string? Action,
    [property: Id(1)] string? Output = null,
    [property: Id(2)] int? Rating = null,
    [property: Id(3)] string? Review = null);
