namespace Actors.Grains.DirectMessages;

/// <summary>One stored DM (a row of <c>dm_messages</c>); <see cref="Read"/> once its recipient has opened the conversation.</summary>
[GenerateSerializer, Immutable]
public sealed record DirectMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConversationId,
    [property: Id(2)] DmParticipant From,
    [property: Id(3)] DmParticipant To,
    [property: Id(4)] string Content,
    [property: Id(5)] bool Read,
    [property: Id(6)] DateTimeOffset CreatedAt);
