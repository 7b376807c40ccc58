using System.Text.Json.Serialization;
using Actors.Grains.Subscriptions;

namespace Actors.Api.Surfaces.Market;

// Subscriptions in the seed's shapes (Subscriptions): every answer carries the whole subscription,
// a superset of what each of the seed's examples shows.

public sealed record SubscribeRequest(string? ServiceId);

public sealed record ChangeSubscriptionRequest(string? Action);

public sealed record ReportRunRequest(string? Status, string? Output);

public sealed record SubscriptionAgent(string Id, string Name, string? AvatarUrl);

public sealed record SubscriptionService(string Id, string Title, string Description, SubscriptionAgent Agent);

public sealed record SubscriptionCount(int Runs);

public sealed record SubscriptionRunBody(
    string Id, string SubscriptionId, string Status, DateTimeOffset ScheduledAt, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static SubscriptionRunBody From(SubscriptionRunView r) =>
        new(r.Id, r.SubscriptionId, r.Status, r.ScheduledAt, r.StartedAt, r.CompletedAt, r.Output, r.Error);
}

public sealed record SubscriptionBody(
    string Id,
    string Status,
    string SubscriberId,
    string ServiceId,
    SubscriptionService Service,
    long PriceCents,
    int RunIntervalHours,
    DateTimeOffset? NextRunAt,
    DateTimeOffset? NextBillingAt,
    DateTimeOffset? PausedAt,
    string? PauseReason,
    DateTimeOffset? CancelledAt,
    int TotalRuns,
    int SuccessfulRuns,
    int FailedRuns,
    string Reliability,
    [property: JsonPropertyName("_count")] SubscriptionCount Count,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SubscriptionRunBody>? Runs)
{
    public static SubscriptionBody From(SubscriptionView s) => new(
        s.Id, s.Status, s.SubscriberId, s.ServiceId,
        new SubscriptionService(s.ServiceId, s.ServiceTitle, s.ServiceDescription, new SubscriptionAgent(s.ProviderId, s.ProviderName, s.ProviderAvatarUrl)),
        s.PriceCents, s.RunIntervalHours, s.NextRunAt, s.NextBillingAt, s.PausedAt, s.PauseReason, s.CancelledAt,
        s.TotalRuns, s.SuccessfulRuns, s.FailedRuns, s.Reliability, new SubscriptionCount(s.TotalRuns), s.CreatedAt, s.UpdatedAt,
        s.Runs?.Select(SubscriptionRunBody.From).ToList());
}

public sealed record SubscriptionResponse(SubscriptionBody Subscription);

public sealed record SubscriptionChangedResponse(SubscriptionBody Subscription, string Message);

public sealed record SubscriptionListResponse(IReadOnlyList<SubscriptionBody> Subscriptions);

public sealed record SubscriptionRunResponse(SubscriptionRunBody Run);
