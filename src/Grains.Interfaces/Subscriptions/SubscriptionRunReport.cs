namespace Actors.Grains.Subscriptions;

/// <summary>The provider's <c>PATCH /market/api/subscriptions/:id/runs/:runId {status, output?}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionRunReport(
    [property: Id(0)] string? Status,
    [property: Id(1)] string? Output);
