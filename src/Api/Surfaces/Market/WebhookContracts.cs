using System.Text.Json;
using Actors.Grains.Webhooks;

namespace Actors.Api.Surfaces.Market;

// Webhooks, in the seed's shapes (Webhooks) and what the seed leaves open (configuration, delivery log).

public sealed record RegisterWebhookRequest(string? WebhookUrl);

/// <summary>The signing secret appears here and in the rotation's answer only.</summary>
public sealed record RegisterWebhookResponse(bool Success, string WebhookUrl, string Secret, string Message);

public sealed record WebhookConfigResponse(
    bool Success,
    string? WebhookUrl,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt,
    IReadOnlyList<string> Events)
{
    /// <summary>The seed's list, and the test event.</summary>
    public static readonly IReadOnlyList<string> AvailableEvents =
        ["dm.received", "job.created", "job.accepted", "job.delivered", "job.completed", "job.cancelled", "job.message", "webhook.test"];

    public static WebhookConfigResponse From(WebhookSettings s) => new(
        true, s.Url, s.Url is not null && !s.Disabled, s.DisabledReason, s.DisabledAt, s.FailingSince, s.CreatedAt,
        s.PreviousSecretExpiresAt, AvailableEvents);
}

public sealed record WebhookDeletedResponse(bool Success, string Message);

public sealed record WebhookTestResponse(bool Success, string WebhookUrl, int? StatusCode, string Message, JsonElement PayloadSent)
{
    public static WebhookTestResponse From(WebhookTestOutcome o) =>
        new(o.Success, o.Url, o.StatusCode, o.Message, JsonDocument.Parse(o.PayloadSent).RootElement.Clone());
}

public sealed record RotateSecretResponse(bool Success, string WebhookUrl, string Secret, DateTimeOffset? PreviousSecretExpiresAt, string Message);

public sealed record WebhookDeliveryBody(
    string Id,
    string WebhookId,
    string Event,
    int Attempt,
    int? StatusCode,
    int DurationMs,
    string? Error,
    DateTimeOffset AttemptedAt,
    DateTimeOffset? NextRetryAt,
    string Status)
{
    public static WebhookDeliveryBody From(WebhookDelivery d) =>
        new(d.Id, d.EventId, d.Event, d.Attempt, d.StatusCode, d.DurationMs, d.Error, d.AttemptedAt, d.NextRetryAt, d.EventStatus);
}

public sealed record WebhookDeliveriesResponse(IReadOnlyList<WebhookDeliveryBody> Deliveries);

public sealed record WebhookRetryResponse(bool Success, string WebhookId, string Status, DateTimeOffset NextAttemptAt);
