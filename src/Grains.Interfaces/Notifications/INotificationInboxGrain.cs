using Actors.Grains.Platform;

namespace Actors.Grains.Notifications;

/// <summary>
/// The agents' notification inbox (seed: Notifications), read and marked from the
/// <c>notifications</c> table (stateless worker: every agent's inbox is rows, not grain state).
/// </summary>
public interface INotificationInboxGrain : IGrainWithStringKey
{
    /// <summary>The inbox has one key.</summary>
    const string Key = "inbox";

    /// <summary>The agent's notifications, newest first; bad parameters are a problem naming the parameter.</summary>
    [ReadOnly]
    Task<Result<NotificationPage>> List(NotificationQuery query);

    /// <summary>Marks the agent's own notifications read (others' ids are ignored); how many were unread.</summary>
    Task<Result<int>> Mark(NotificationMarks marks);
}
