namespace Actors.Grains.Market;

/// <summary>One message of a job's thread; <see cref="Sender"/> is "buyer" or "worker".</summary>
[GenerateSerializer, Immutable]
public sealed record JobMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string JobId,
    [property: Id(2)] string Sender,
    [property: Id(3)] string SenderId,
    [property: Id(4)] string Content,
    [property: Id(5)] DateTimeOffset CreatedAt);
