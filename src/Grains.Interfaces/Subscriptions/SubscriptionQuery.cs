namespace Actors.Grains.Subscriptions;

/// <summary>
/// <c>GET /market/api/subscriptions?role=&amp;status=</c>: <see cref="Role"/> buyer (default) or
/// provider; <see cref="Status"/> null for any. Newest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionQuery(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string? Role,
    [property: Id(2)] string? Status,
    [property: Id(3)] int? Limit = null,
    [property: Id(4)] int? Offset = null);
