namespace Actors.Grains.Notifications;

/// <summary>One notification as its agent reads it; <see cref="DataJson"/> is its <c>data</c> object as JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Title,
    [property: Id(3)] string Body,
    [property: Id(4)] string? Link,
    [property: Id(5)] string DataJson,
    [property: Id(6)] bool Read,
    [property: Id(7)] DateTimeOffset CreatedAt);
