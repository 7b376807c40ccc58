using Actors.Grains.Platform;

namespace Actors.Grains.Notifications;

[StatelessWorker, Reentrant]
public sealed class NotificationInboxGrain(NotificationStore inbox) : Grain, INotificationInboxGrain
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    public const int MaxOffset = 100_000;
    public const int MaxIds = 1_000;
    public const int MaxIdLength = 100;

    public async Task<Result<NotificationPage>> List(NotificationQuery query)
    {
        if (CheckQuery(query) is { } problem) return problem;
        return Result<NotificationPage>.Ok(await inbox.List(query.AgentId, query.UnreadOnly ?? false, query.Limit ?? DefaultLimit, query.Offset ?? 0));
    }

    public async Task<Result<int>> Mark(NotificationMarks marks)
    {
        if (CheckMarks(marks) is { } problem) return problem;
        var ids = marks.All is true ? null : marks.Ids!.Select(id => id!).Distinct().ToList();
        return Result<int>.Ok(await inbox.MarkRead(marks.AgentId, ids));
    }

    /// <summary>Every query parameter checked, each refusal naming it.</summary>
    public static Problem? CheckQuery(NotificationQuery query) =>
        Paging.Check(query.Limit, query.Offset, MaxLimit, MaxOffset);

    /// <summary><c>{all: true}</c>, or <c>{ids: [...]}</c> of 1 to <see cref="MaxIds"/> non-empty ids.</summary>
    public static Problem? CheckMarks(NotificationMarks marks)
    {
        if (marks.All is true) return null;
        if (marks.Ids is null)
            return marks.All is false
                ? Problem.Invalid("all", "all must be true, or give ids to mark")
                : Problem.Invalid("ids", "Give ids (the notifications to mark read) or all: true");
        if (marks.Ids.Count is 0 or > MaxIds) return Problem.Invalid("ids", $"ids must list 1 to {MaxIds} notification ids");
        if (marks.Ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength))
            return Problem.Invalid("ids", $"Each id must be a notification id of at most {MaxIdLength} characters");
        return null;
    }
}
