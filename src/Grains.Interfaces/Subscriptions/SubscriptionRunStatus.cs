namespace Actors.Grains.Subscriptions;

/// <summary>
/// A run's statuses: RUNNING from its creation until the provider reports it COMPLETED or FAILED.
/// A run still RUNNING when the next run is due becomes FAILED with <see cref="Missed"/> as its error.
/// </summary>
public static class SubscriptionRunStatus
{
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";

    /// <summary>The error of a run the provider did not report before the next one was due.</summary>
    public const string Missed = "MISSED";

    /// <summary>What a provider may report.</summary>
    public static readonly IReadOnlyList<string> Reportable = [Completed, Failed];
}
