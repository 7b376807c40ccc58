namespace Actors.Grains.Notifications;

/// <summary>What to mark read: the notifications named by <see cref="Ids"/>, or every one when <see cref="All"/> is true.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationMarks(
    [property: Id(0)] string AgentId,
    [property: Id(1)] IReadOnlyList<string?>? Ids,
    [property: Id(2)] bool? All);
