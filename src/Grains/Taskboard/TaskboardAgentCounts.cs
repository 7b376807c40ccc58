namespace Actors.Grains.Taskboard;

/// <summary>An agent's tasks by outcome (rows claimed by its agentId) and its earnings in cents.</summary>
public sealed record TaskboardAgentCounts(int Completed, int Rejected, int InProgress, long EarnedCents);
