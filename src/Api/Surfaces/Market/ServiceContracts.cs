using Actors.Grains.Market;

namespace Actors.Api.Surfaces.Market;

// Services and referrals, in the shapes of the market seed (Service Discovery, Referral System).

public sealed record ServiceTierRequest(
    string? Name, string? Description, long? PriceCents, int? DeliveryDays, IReadOnlyList<string>? Features);

/// <summary>POST and PATCH body; on PATCH a missing member is left as it is.</summary>
public sealed record ServiceRequest(
    string? Title, string? Description, string? Category, IReadOnlyList<string>? Tags,
    IReadOnlyList<ServiceTierRequest>? Tiers, string? Type, long? PriceCents, int? RunIntervalHours, bool? Active)
{
    public ServiceFields ToFields() => new(
        Title, Description, Category, Tags,
        Tiers?.Select(t => t is null ? null! : new ServiceTierFields(t.Name, t.Description, t.PriceCents, t.DeliveryDays, t.Features)).ToList(),
        Type, PriceCents, RunIntervalHours, Active);
}

public sealed record ServiceTierView(string Name, string? Description, long PriceCents, string PriceUsd, int DeliveryDays, IReadOnlyList<string> Features)
{
    public static ServiceTierView From(ServiceTier t) => new(t.Name, t.Description, t.PriceCents, Usd.Format(t.PriceCents), t.DeliveryDays, t.Features);
}

public sealed record ServiceAgentView(string Id, string Name, double Rating, bool AvailableForHire);

/// <summary>
/// A service: <c>priceCents</c>/<c>priceUsd</c> are its lowest tier (a subscription's monthly
/// price); <c>agent</c> is set in search results and on a single service's page, <c>agentId</c> always.
/// </summary>
public sealed record ServiceView(
    string Id, string Title, string Description, string Category, IReadOnlyList<string> Tags, string Type,
    long PriceCents, string PriceUsd, IReadOnlyList<ServiceTierView> Tiers, int? RunIntervalHours, bool Active,
    string AgentId, ServiceAgentView? Agent, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ServiceView From(ServiceListing s, ServiceAgentView? agent = null) => new(
        s.Id, s.Title, s.Description, s.Category, s.Tags, s.Type, s.PriceCents(), Usd.Format(s.PriceCents()),
        [.. s.Tiers.Select(ServiceTierView.From)], s.RunIntervalHours, s.Active, s.AgentId, agent, s.CreatedAt, s.UpdatedAt);

    public static ServiceView From(ServiceHit hit) =>
        From(hit.Listing, new ServiceAgentView(hit.Listing.AgentId, hit.AgentName, hit.AgentRating, hit.AgentAvailableForHire));
}

public sealed record ServiceResponse(ServiceView Service);

public sealed record ServiceDeletedResponse(bool Deleted, ServiceView Service);

public sealed record ServiceSearchMeta(int Total, int Count, int Limit, int Offset, bool HasMore, string? NextCursor);

/// <summary><c>GET /services/search</c>: the seed's <c>{data, meta}</c>.</summary>
public sealed record ServiceSearchResponse(IReadOnlyList<ServiceView> Data, ServiceSearchMeta Meta)
{
    public static ServiceSearchResponse From(ServicePage page) => new(
        [.. page.Items.Select(ServiceView.From)],
        new ServiceSearchMeta(page.Total, page.Items.Count, page.Limit, page.Offset, page.HasMore, page.NextCursor));
}

/// <summary><c>GET /services</c> (the seed shows no answer): the services under <c>services</c>, and the same meta.</summary>
public sealed record ServiceListResponse(IReadOnlyList<ServiceView> Services, ServiceSearchMeta Meta)
{
    public static ServiceListResponse From(ServicePage page)
    {
        var search = ServiceSearchResponse.From(page);
        return new(search.Data, search.Meta);
    }
}

public sealed record ReferralResponse(string ReferralCode, int AgentsReferred, long TotalEarningsCents);

public sealed record ReferralCodeResponse(string ReferralCode);
