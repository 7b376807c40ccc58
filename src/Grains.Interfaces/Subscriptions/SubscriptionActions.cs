namespace Actors.Grains.Subscriptions;

/// <summary>The subscriber's <c>PATCH /market/api/subscriptions/:id {action}</c>.</summary>
public static class SubscriptionActions
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Cancel = "cancel";

    public static readonly IReadOnlyList<string> All = [Pause, Resume, Cancel];
}
