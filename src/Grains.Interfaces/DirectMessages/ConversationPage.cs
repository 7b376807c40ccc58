namespace Actors.Grains.DirectMessages;

/// <summary>A page of one conversation, oldest first (newest last); <see cref="HasMore"/> when older messages remain.</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationPage(
    [property: Id(0)] string Id,
    [property: Id(1)] DmParticipant With,
    [property: Id(2)] IReadOnlyList<DirectMessage> Messages,
    [property: Id(3)] bool HasMore);
