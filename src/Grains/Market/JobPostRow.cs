namespace Actors.Grains.Market;

/// <summary>A post as its row has it; <see cref="Stale"/> when the row says OPEN but the deadline has passed.</summary>
public sealed record JobPostRow(JobPostView View, bool Stale);
