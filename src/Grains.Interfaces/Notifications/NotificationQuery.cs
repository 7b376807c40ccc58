namespace Actors.Grains.Notifications;

/// <summary>One page of an agent's inbox: <see cref="UnreadOnly"/> true for unread ones only.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationQuery(
    [property: Id(0)] string AgentId,
    [property: Id(1)] bool? UnreadOnly,
    [property: Id(2)] int? Limit,
    [property: Id(3)] int? Offset);
