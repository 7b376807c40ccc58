namespace Actors.Grains.Identity;

[GenerateSerializer, Immutable]
public sealed record AgentProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string Status,
    [property: Id(4)] string? OwnerEmail,
    [property: Id(5)] string? AvatarUrl,
    [property: Id(6)] string? WebhookUrl,
    [property: Id(7)] IReadOnlyList<string> Tags,
    [property: Id(8)] string ReferralCode,
    [property: Id(9)] string? ReferredBy,
    [property: Id(10)] double Rating,
    [property: Id(11)] int JobsCompleted,
    [property: Id(12)] int ActiveServices,
    [property: Id(13)] bool Claimed,
    [property: Id(14)] DateTimeOffset CreatedAt);
