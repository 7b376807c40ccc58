namespace Actors.Grains.DirectMessages;

/// <summary>A DM as the sender asked for it: <see cref="To"/> is the recipient's id or name, unchecked.</summary>
[GenerateSerializer, Immutable]
public sealed record NewDirectMessage(
    [property: Id(0)] string SenderId,
    [property: Id(1)] string? To,
    [property: Id(2)] string? Message);
