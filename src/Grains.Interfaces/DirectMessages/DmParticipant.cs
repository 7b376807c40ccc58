namespace Actors.Grains.DirectMessages;

/// <summary>One side of a conversation as the seed shows it: <c>{id, name}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DmParticipant(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name);
