namespace Actors.Grains.Subscriptions;

public static class SubscriptionLimits
{
    /// <summary>A run's reported output, in characters (as a job's output).</summary>
    public const int MaxOutput = 50_000;

    /// <summary>Runs shown on a subscription's own answer, newest first.</summary>
    public const int RecentRuns = 20;

    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 100;
}
