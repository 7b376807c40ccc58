namespace Actors.Grains.DirectMessages;

/// <summary>One entry of an agent's conversation list (its row of <c>dm_conversations</c>), seen from that agent.</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] DmParticipant With,
    [property: Id(2)] string? WithAvatarUrl,
    [property: Id(3)] string LastMessage,
    [property: Id(4)] bool LastFromMe,
    [property: Id(5)] DateTimeOffset LastAt,
    [property: Id(6)] int Unread);
