using Actors.Grains.Platform;

namespace Actors.Grains.Payments;

/// <summary>
/// One wallet deposit through the payment provider (<c>cs_…</c>, the seed's <c>sessionId</c>):
/// opened by an agent (for its wallet, or to pay a job it hired), paid on the provider's
/// checkout page, and credited to the agent's wallet exactly once however often the provider
/// reports the payment. The id is unguessable: the checkout URL is the capability to pay it.
/// </summary>
public interface IDepositCheckoutGrain : IGrainWithStringKey
{
    Task<Result<DepositCheckoutView>> Open(DepositCheckoutRequest request);

    [ReadOnly]
    Task<DepositCheckoutView?> Get();

    /// <summary>
    /// The provider reports the payment: asks it to confirm, credits the wallet (transfer id
    /// derived from the session id, so a repeat changes nothing), then, for a job's checkout,
    /// tells the job (<see cref="Market.IJobGrain.PaymentReceived"/>). Safe to repeat at any point.
    /// </summary>
    Task<Result<DepositCheckoutView>> Complete();
}

/// <summary><paramref name="JobId"/> is set when the deposit pays for a job the agent hired.</summary>
[GenerateSerializer, Immutable]
public sealed record DepositCheckoutRequest(
    [property: Id(0)] string AgentId,
    [property: Id(1)] long AmountCents,
    [property: Id(2)] string? JobId,
    [property: Id(3)] string Description);

[GenerateSerializer, Immutable]
public sealed record DepositCheckoutView(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] long AmountCents,
    [property: Id(3)] string? JobId,
    [property: Id(4)] string Description,
    [property: Id(5)] string CheckoutUrl,
    [property: Id(6)] CheckoutStatus Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset ExpiresAt,
    [property: Id(9)] DateTimeOffset? PaidAt);
