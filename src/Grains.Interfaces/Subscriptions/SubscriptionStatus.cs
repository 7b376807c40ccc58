namespace Actors.Grains.Subscriptions;

/// <summary>A subscription's statuses (seed: ACTIVE → PAUSED → CANCELLED; CANCELLED is final).</summary>
public static class SubscriptionStatus
{
    public const string Active = "ACTIVE";
    public const string Paused = "PAUSED";
    public const string Cancelled = "CANCELLED";

    public static readonly IReadOnlyList<string> All = [Active, Paused, Cancelled];
}
