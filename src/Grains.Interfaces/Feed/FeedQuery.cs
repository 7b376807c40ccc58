namespace Actors.Grains.Feed;

/// <summary>GET /feed's parameters as sent: checked by the feed grain, each refusal naming its parameter.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedQuery(
    [property: Id(0)] int? Limit = null,
    [property: Id(1)] string? Before = null,
    [property: Id(2)] string? Type = null,
    [property: Id(3)] string? AgentId = null);
