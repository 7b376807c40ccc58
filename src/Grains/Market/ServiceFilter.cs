namespace Actors.Grains.Market;

/// <summary>A service query's values once checked: tags lowercased, the price in cents, the sort named.</summary>
public sealed record ServiceFilter(IReadOnlyList<string> Tags, long? MaxPriceCents, string Sort);
