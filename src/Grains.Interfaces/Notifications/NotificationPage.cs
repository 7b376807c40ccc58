namespace Actors.Grains.Notifications;

/// <summary>
/// A page of the inbox: <see cref="Total"/> counts the notifications the query matches (all pages),
/// <see cref="UnreadCount"/> the agent's unread ones.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<NotificationEntry> Notifications,
    [property: Id(1)] long Total,
    [property: Id(2)] long UnreadCount);
