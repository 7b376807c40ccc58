using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

public sealed class WebhookEndpointState
{
    public string? Url { get; set; }

    /// <summary>The signing secret, encrypted with the Data Protection key ring.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The secret before the last rotation, encrypted; it still signs until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? ProtectedPreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
    public bool Disabled { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The first failed attempt since the last success: an endpoint failing for 5 days is disabled.</summary>
    public DateTimeOffset? FailingSince { get; set; }
}

/// <summary>
/// An agent's webhook endpoint, the owner of its webhook setting: a change here is kept in the
/// endpoint's state first, then copied to the agent's profile (<see cref="IAgentGrain.KeepWebhookUrl"/>),
/// which the setup checklist reads. A change made through the profile (PATCH /me) comes from the
/// agent (<see cref="SetFromProfile"/>) and is not copied back (the agent keeps it itself). The copy
/// to the profile is one-way, so the two grains never wait on each other (no deadlock when both
/// change at once); a copy that fails to arrive leaves the setup checklist's step behind until the
/// next change.
/// </summary>
public sealed class WebhookEndpointGrain(
    [PersistentState("webhook-endpoint", "store")] IPersistentState<WebhookEndpointState> endpoint,
    IDataProtectionProvider protection,
    SsrfGuard guard,
    WebhookSender sender,
    WebhookDeliveryStore deliveries,
    IOptions<WebhookOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IWebhookEndpointGrain
{
    public static readonly TimeSpan PreviousSecretLifetime = TimeSpan.FromHours(24);
    const string TestMessage = "This is a test webhook from the Actors market. If you can read this, your integration is working.";

    readonly IDataProtector _protector = protection.CreateProtector("Actors.Webhooks.Secrets.v1");

    string AgentId => this.GetPrimaryKeyString();
    WebhookEndpointState S => endpoint.State;

    public async Task<Result<WebhookRegistration>> Register(string? url)
    {
        if (Check(url) is { } problem) return problem;
        var secret = WebhookSigning.NewSecret();
        await deliveries.Subscribe(AgentId, clock.GetUtcNow());
        Keep(url!, secret, keepPrevious: false);
        await endpoint.WriteStateAsync();
        await GrainFactory.GetGrain<IAgentGrain>(AgentId).KeepWebhookUrl(S.Url);
        return Result<WebhookRegistration>.Ok(new WebhookRegistration(S.Url!, secret, null));
    }

    public async Task<Result<WebhookSettings>> SetFromProfile(string url)
    {
        if (url.Length == 0)
        {
            if (S.Url is not null) await Clear();
            return Result<WebhookSettings>.Ok(Settings());
        }
        if (Check(url) is { } problem) return problem;
        if (url == S.Url) return Result<WebhookSettings>.Ok(Settings());
        await deliveries.Subscribe(AgentId, clock.GetUtcNow());
        Keep(url, S.ProtectedSecret is null ? WebhookSigning.NewSecret() : null, keepPrevious: true);
        await endpoint.WriteStateAsync();
        return Result<WebhookSettings>.Ok(Settings());
    }

    public Task<WebhookSettings> GetSettings() => Task.FromResult(Settings());

    public async Task<Result<WebhookSettings>> Remove()
    {
        if (S.Url is null) return Problem.NotFound("No webhook is configured");
        await Clear();
        await GrainFactory.GetGrain<IAgentGrain>(AgentId).KeepWebhookUrl(null);
        return Result<WebhookSettings>.Ok(Settings());
    }

    public async Task<Result<WebhookRegistration>> RotateSecret()
    {
        if (S.Url is null) return Problem.NotFound("No webhook is configured");
        var secret = WebhookSigning.NewSecret();
        S.ProtectedPreviousSecret = S.ProtectedSecret;
        S.PreviousSecretExpiresAt = clock.GetUtcNow() + PreviousSecretLifetime;
        S.ProtectedSecret = _protector.Protect(secret);
        await endpoint.WriteStateAsync();
        return Result<WebhookRegistration>.Ok(new WebhookRegistration(S.Url, secret, S.PreviousSecretExpiresAt));
    }

    public async Task<Result<WebhookTestOutcome>> SendTest()
    {
        if (Target() is not { } target)
            return S.Url is null ? Problem.NotFound("No webhook is configured") : Problem.Conflict($"The webhook is disabled: {S.DisabledReason}");
        var now = clock.GetUtcNow();
        var eventId = RandomToken.Id("msg");
        var body = WebhookOutbox.Body(new WebhookEvent(AgentId, "webhook.test", new { message = TestMessage }), now);
        var outcome = await sender.Send(target, eventId, now, body, CancellationToken.None, options.Value.TestTimeout);
        await deliveries.RecordTest(eventId, AgentId, body, target.Url, outcome, now);
        if (outcome.Succeeded && S.FailingSince is not null)
        {
            S.FailingSince = null;
            await endpoint.WriteStateAsync();
        }
        var message = outcome.Succeeded ? $"✅ Webhook is working! Your server responded with {outcome.StatusCode}"
            : outcome.StatusCode is { } code ? $"❌ Webhook failed: your server responded with {code}"
            : $"❌ Webhook failed: {outcome.Error}";
        return Result<WebhookTestOutcome>.Ok(new WebhookTestOutcome(target.Url, outcome.Succeeded, outcome.StatusCode, message, body));
    }

    Task<WebhookTarget?> IWebhookEndpointGrain.Target() => Task.FromResult(Target());

    WebhookTarget? Target()
    {
        if (S.Url is null || S.Disabled || S.ProtectedSecret is null) return null;
        var secrets = new List<string> { Secret(S.ProtectedSecret) };
        if (S.ProtectedPreviousSecret is { } previous && clock.GetUtcNow() < S.PreviousSecretExpiresAt)
            secrets.Add(Secret(previous));
        return new WebhookTarget(S.Url, secrets);
    }

    public async Task<bool> Report(WebhookAttemptReport report)
    {
        if (S.Url is null || S.Disabled) return false;
        var now = clock.GetUtcNow();
        if (report.Succeeded)
        {
            if (S.FailingSince is null) return false;
            S.FailingSince = null;
            await endpoint.WriteStateAsync();
            return false;
        }
        if (report.StatusCode == 410)
        {
            await Disable("The receiver answered 410 Gone", now);
            return false;
        }
        if (S.FailingSince is null)
        {
            S.FailingSince = now;
            await endpoint.WriteStateAsync();
            return false;
        }
        if (now - S.FailingSince < options.Value.DisableAfterFailingFor) return false;
        await Disable($"Every delivery failed for {options.Value.DisableAfterFailingFor.TotalDays:0.#} days", now);
        return true;
    }

    public Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit) => deliveries.Recent(AgentId, limit);

    public async Task<Result<WebhookRetry>> Retry(string deliveryId)
    {
        if (S.Url is null) return Problem.NotFound("No webhook is configured");
        if (S.Disabled) return Problem.Conflict($"The webhook is disabled ({S.DisabledReason}); register it again to enable it");
        var now = clock.GetUtcNow();
        var eventId = await deliveries.Requeue(AgentId, deliveryId, now);
        return eventId is null ? Problem.NotFound("Delivery not found") : Result<WebhookRetry>.Ok(new WebhookRetry(eventId, now));
    }

    Problem? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return Problem.Invalid("webhookUrl", "webhookUrl is required");
        return AgentRules.CheckWebhookUrl(url) ?? guard.CheckUrl("webhookUrl", url);
    }

    /// <summary>A new URL re-enables the endpoint; a new secret replaces the current one (kept as the previous one only on rotation).</summary>
    void Keep(string url, string? newSecret, bool keepPrevious)
    {
        var now = clock.GetUtcNow();
        S.Url = url;
        if (newSecret is not null)
        {
            S.ProtectedSecret = _protector.Protect(newSecret);
            if (!keepPrevious) { S.ProtectedPreviousSecret = null; S.PreviousSecretExpiresAt = null; }
        }
        S.CreatedAt ??= now;
        S.Disabled = false;
        S.DisabledReason = null;
        S.DisabledAt = null;
        S.FailingSince = null;
    }

    /// <summary>The URL goes first, then the subscriber row: a row left behind only costs the dispatcher a settle.</summary>
    async Task Clear()
    {
        endpoint.State = new WebhookEndpointState();
        await endpoint.WriteStateAsync();
        await deliveries.Unsubscribe(AgentId);
    }

    async Task Disable(string reason, DateTimeOffset now)
    {
        S.Disabled = true;
        S.DisabledReason = reason;
        S.DisabledAt = now;
        await endpoint.WriteStateAsync();
    }

    string Secret(string protectedSecret) => _protector.Unprotect(protectedSecret);

    WebhookSettings Settings() => new(
        S.Url, S.Disabled, S.DisabledReason, S.DisabledAt, S.FailingSince, S.CreatedAt,
        S.ProtectedPreviousSecret is not null && clock.GetUtcNow() < S.PreviousSecretExpiresAt ? S.PreviousSecretExpiresAt : null);
}
