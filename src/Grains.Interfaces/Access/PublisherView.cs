namespace Actors.Grains.Access;

[GenerateSerializer, Immutable]
public sealed record PublisherView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Domain,
    [property: Id(2)] string Name);
