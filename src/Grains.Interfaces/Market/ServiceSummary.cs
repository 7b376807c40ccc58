namespace Actors.Grains.Market;

/// <summary>
/// What an agent keeps of each of its services (bounded: see <c>ServiceRules.MaxServicesPerAgent</c>):
/// enough for its directory row and its setup checklist. A deleted one is dropped by the agent.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Category,
    [property: Id(3)] long PriceCents,
    [property: Id(4)] bool Active,
    [property: Id(5)] bool Deleted,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    public static ServiceSummary Of(ServiceListing listing) => new(
        listing.Id, listing.Title, listing.Category, listing.PriceCents(), listing.Active, listing.Deleted, listing.CreatedAt);
}
