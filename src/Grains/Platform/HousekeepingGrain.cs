using Actors.Grains.Idempotency;
using Actors.Grains.Access;
using Actors.Grains.Webhooks;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Platform;

public sealed class HousekeepingGrain(
    AccessTokenStore tokens,
    IdempotencyStore idempotency,
    WebhookDeliveryStore webhooks,
    IOptions<WebhookOptions> webhookOptions,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IHousekeepingGrain, IRemindable
{
    const string Reminder = "housekeeping";
    static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    /// <summary>Dead tokens are kept a while so a late fetch hears "expired" or "used" rather than "invalid".</summary>
    static readonly TimeSpan KeepTokensAfterExpiry = TimeSpan.FromHours(1);

    public Task Ensure() => this.RegisterOrUpdateReminder(Reminder, Every, Every);

    public async Task<HousekeepingReport> RunNow()
    {
        var now = clock.GetUtcNow();
        await idempotency.ForgetBodiesNotReplayedAfter(now);
        return new HousekeepingReport(
            await tokens.DeleteExpiredBefore(now - KeepTokensAfterExpiry),
            await idempotency.Purge(now - IdempotencyGrain.Retention),
            await webhooks.Purge(now - webhookOptions.Value.Retention));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunNow();
}
