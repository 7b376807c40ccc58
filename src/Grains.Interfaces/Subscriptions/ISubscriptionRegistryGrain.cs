using Actors.Grains.Platform;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// Stateless front of the subscriptions: names a new subscription (from the Idempotency-Key when
/// there is one, so a retry reaches the same subscription) and lists an agent's subscriptions, as
/// subscriber or provider, from <c>market_subscriptions</c>.
/// </summary>
public interface ISubscriptionRegistryGrain : IGrainWithStringKey
{
    const string Key = "subscriptions";

    Task<Result<SubscriptionView>> Subscribe(NewSubscription request);

    /// <summary>Newest first; 400 naming role, status, limit or offset when one is wrong.</summary>
    Task<Result<IReadOnlyList<SubscriptionView>>> List(SubscriptionQuery query);
}
