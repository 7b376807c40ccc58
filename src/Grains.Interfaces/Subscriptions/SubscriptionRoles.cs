namespace Actors.Grains.Subscriptions;

/// <summary>The sides of a subscription (the list's <c>role</c>: buyer by default).</summary>
public static class SubscriptionRoles
{
    public const string Buyer = "buyer";
    public const string Provider = "provider";
}
