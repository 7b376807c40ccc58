namespace Actors.Grains.Market;

/// <summary>A job post query once checked: status upper-cased, tags trimmed, lower-cased and distinct, the page's bounds.</summary>
public sealed record JobPostFilter(string? Q, string? Category, IReadOnlyList<string> Tags, string Status, int Limit, int Offset);
