namespace Actors.Grains.Market;

/// <summary>
/// A created job and how it is paid: <see cref="PaymentMethod"/> "wallet" (escrowed now) or
/// "stripe" (unpaid until the deposit checkout at <see cref="CheckoutUrl"/> is paid).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HireOutcome(
    [property: Id(0)] JobView Job,
    [property: Id(1)] string PaymentMethod,
    [property: Id(2)] string? CheckoutUrl);
