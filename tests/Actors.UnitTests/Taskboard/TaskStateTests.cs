using Actors.Grains.Taskboard;

namespace Actors.UnitTests.Taskboard;

/// <summary>What a task waits for: the lease while claimed, the review while submitted, nothing once resolved.</summary>
public sealed class TaskStateTests
{
    static readonly DateTimeOffset Lease = DateTimeOffset.UnixEpoch.AddDays(1);
    static readonly DateTimeOffset Review = DateTimeOffset.UnixEpoch.AddDays(8);

    [Theory]
    [InlineData(TaskStatuses.Open, null)]
    [InlineData(TaskStatuses.InProgress, 1)]
    [InlineData(TaskStatuses.Submitted, 8)]
    [InlineData(TaskStatuses.Completed, null)]
    [InlineData(TaskStatuses.Rejected, null)]
    [InlineData(TaskStatuses.Cancelled, null)]
    public void The_next_due_time_follows_the_status(string status, int? dueDay)
    {
        var state = new TaskState { Status = status, LeaseExpiresAt = Lease, ReviewDueAt = Review };
        Assert.Equal(dueDay is { } d ? DateTimeOffset.UnixEpoch.AddDays(d) : null, state.NextDueAt);
        Assert.Equal(status is TaskStatuses.Completed or TaskStatuses.Rejected or TaskStatuses.Cancelled, state.IsFinal);
    }

    [Fact]
    public void A_copy_is_changed_without_changing_the_stored_state()
    {
        var state = new TaskState { Skills = ["CODING"], Status = TaskStatuses.Open };
        var next = state.Copy();
        next.Status = TaskStatuses.InProgress;
        next.Skills.Add("DATA");

        Assert.Equal(TaskStatuses.Open, state.Status);
        Assert.Equal(["CODING"], state.Skills);
    }
}
