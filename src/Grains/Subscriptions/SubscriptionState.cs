namespace Actors.Grains.Subscriptions;

/// <summary>
/// A subscription's definition, written once at creation and never changed: who, what, at what price
/// and interval (as the service was when subscribed), and the provider's referrer paid each month.
/// The schedule, status and counters live in its <c>market_subscriptions</c> row (<see cref="SubscriptionRow"/>),
/// so the state stays small and a run writes one row, not the state.
/// </summary>
public sealed class SubscriptionState
{
    public string SubscriberId { get; set; } = "";
    public string ProviderId { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string? ProviderAvatarUrl { get; set; }
    public string? ReferrerId { get; set; }
    public string ServiceId { get; set; } = "";
    public string ServiceTitle { get; set; } = "";
    public string ServiceDescription { get; set; } = "";
    public long PriceCents { get; set; }
    public int RunIntervalHours { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
