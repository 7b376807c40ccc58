namespace Actors.Grains.Offset;

[GenerateSerializer, Immutable]
public sealed record UsageTotals(
    [property: Id(0)] long Events,
    [property: Id(1)] long InputTokens,
    [property: Id(2)] long OutputTokens,
    [property: Id(3)] long CachedInputTokens,
    [property: Id(4)] long ReasoningTokens)
{
    public static readonly UsageTotals Zero = new(0, 0, 0, 0, 0);
    public long TotalTokens => InputTokens + OutputTokens + ReasoningTokens;
}
