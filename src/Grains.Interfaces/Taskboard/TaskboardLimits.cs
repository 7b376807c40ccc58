namespace Actors.Grains.Taskboard;

public static class TaskboardLimits
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 10_000;
    public const int MaxAgentName = 100;
    public const int MaxFeedback = 5_000;
    public const int MaxSummary = 10_000;
    public const int MaxCode = 100_000;
    public const int MaxUrl = 2_048;
    public const int MaxMetadataBytes = 4_096;

    /// <summary>A claim's deadline in hours (the task's <c>deadline</c>; default <see cref="DefaultDeadlineHours"/>).</summary>
    public const int DefaultDeadlineHours = 24;
    public const int MaxDeadlineHours = 720;

    /// <summary>A poll's <c>limit</c>: default 10, at most 100.</summary>
    public const int DefaultPollLimit = 10;
    public const int MaxPollLimit = 100;
}
