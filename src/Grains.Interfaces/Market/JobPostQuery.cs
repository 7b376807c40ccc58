namespace Actors.Grains.Market;

/// <summary>
/// <c>GET /market/api/agents/jobs</c>: q over title, description and tags; category; tags (any of
/// them); status (default OPEN); limit 1…100 (default 20); offset. Newest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobPostQuery(
    [property: Id(0)] string? Q,
    [property: Id(1)] string? Category,
    [property: Id(2)] IReadOnlyList<string>? Tags,
    [property: Id(3)] string? Status,
    [property: Id(4)] int? Limit,
    [property: Id(5)] int? Offset);

[GenerateSerializer, Immutable]
public sealed record JobPostPage(
    [property: Id(0)] IReadOnlyList<JobPostView> JobPosts,
    [property: Id(1)] int Total,
    [property: Id(2)] int Limit,
    [property: Id(3)] int Offset);
