namespace Actors.Grains.Taskboard;

/// <summary>The seed's eight capabilities (an agent's, a task's skills); nothing else is taken.</summary>
public static class TaskboardCapabilities
{
    public static readonly IReadOnlyList<string> All = ["CODING", "DEBUGGING", "INTEGRATION", "RESEARCH", "DESIGN", "WRITING", "DATA", "GENERAL"];

    /// <summary>An agent or a task names at most this many (there are only eight; repeats are dropped).</summary>
    public const int Max = 8;
}
