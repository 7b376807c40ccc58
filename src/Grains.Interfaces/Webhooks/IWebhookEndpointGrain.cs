using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

/// <summary>
/// One agent's webhook endpoint (key: the agent id): its URL, its signing secret (encrypted at
/// rest, shown only when issued), the previous secret for 24 hours after a rotation, and whether
/// deliveries to it are disabled. It owns the agent's webhook setting: the profile's
/// <c>webhookUrl</c> follows it.
/// </summary>
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Sets the URL and issues a new secret (the only time it is shown); re-enables a disabled endpoint.</summary>
    Task<Result<WebhookRegistration>> Register(string? url);

    /// <summary>
    /// The profile's <c>webhookUrl</c> (PATCH /me), called by the agent itself: a new URL keeps the
    /// current secret (or issues one, never shown: rotate-secret shows a new one); "" removes the endpoint.
    /// </summary>
    Task<Result<WebhookSettings>> SetFromProfile(string url);

    [AlwaysInterleave]
    Task<WebhookSettings> GetSettings();

    /// <summary>Removes the endpoint and its secrets; the agent's pending events are settled, not sent.</summary>
    Task<Result<WebhookSettings>> Remove();

    /// <summary>Issues a new secret; the previous one still signs for 24 hours.</summary>
    Task<Result<WebhookRegistration>> RotateSecret();

    /// <summary>Sends a <c>webhook.test</c> event at once and answers the receiver's status code.</summary>
    Task<Result<WebhookTestOutcome>> SendTest();

    /// <summary>Where and with which secrets the dispatcher signs; null when there is no enabled endpoint.</summary>
    [AlwaysInterleave]
    Task<WebhookTarget?> Target();

    /// <summary>The outcome of one delivery attempt; true when it disabled the endpoint for failing too long.</summary>
    Task<bool> Report(WebhookAttemptReport report);

    [AlwaysInterleave]
    Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit);

    /// <summary>Sends the event of one of this agent's delivery attempts again (same webhook-id), now.</summary>
    Task<Result<WebhookRetry>> Retry(string deliveryId);
}
