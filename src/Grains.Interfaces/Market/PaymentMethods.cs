namespace Actors.Grains.Market;

public static class PaymentMethods
{
    public const string Wallet = "wallet";
    public const string Checkout = "stripe";
}
