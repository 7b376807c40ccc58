namespace Actors.Grains.Market;

/// <summary>One search hit: the listing and the agent offering it, as the directory has it.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceHit(
    [property: Id(0)] ServiceListing Listing,
    [property: Id(1)] string AgentName,
    [property: Id(2)] double AgentRating,
    [property: Id(3)] bool AgentAvailableForHire);
