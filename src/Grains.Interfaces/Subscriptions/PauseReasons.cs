namespace Actors.Grains.Subscriptions;

/// <summary>Why a subscription is PAUSED (its <c>pauseReason</c>).</summary>
public static class PauseReasons
{
    /// <summary>The subscriber paused it.</summary>
    public const string Subscriber = "SUBSCRIBER";

    /// <summary>The month's charge found the subscriber's wallet short; resuming charges first.</summary>
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
}
