using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// What a service listing may hold, for create and update alike: the owner's fields merged onto
/// the listing (or onto the defaults), then the whole result checked, so an update can never
/// produce a listing a create would refuse. Every refusal names the field.
/// </summary>
public static class ServiceRules
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 5_000;
    public const int MaxCategory = 50;
    public const int MaxTags = 10;
    public const int MaxTag = 50;
    public const int MinTiers = 1;
    public const int MaxTiers = 3;
    public const int MaxTierName = 50;
    public const int MaxTierDescription = 1_000;
    public const long MinPriceCents = 1;
    public const long MaxPriceCents = 1_000_000;
    public const int MinDeliveryDays = 1;
    public const int MaxDeliveryDays = 365;
    public const int MaxFeatures = 20;
    public const int MaxFeature = 200;
    public const int MinRunIntervalHours = 1;
    public const int MaxRunIntervalHours = 720;

    /// <summary>Services an agent may list at once (deleted ones do not count): bounds the agent's summary.</summary>
    public const int MaxServicesPerAgent = 20;

    /// <summary>Delivery time of the one tier a one-time service sent with only <c>priceCents</c> gets.</summary>
    public const int DefaultDeliveryDays = 3;

    /// <summary>Name of that tier.</summary>
    public const string DefaultTierName = "Basic";

    /// <summary>A new listing from the owner's fields, or the first problem with them.</summary>
    public static Result<ServiceListing> Create(string serviceId, string agentId, ServiceFields fields, DateTimeOffset now)
    {
        var blank = new ServiceListing(serviceId, agentId, "", "", "", [], [], ServiceType.OneTime, null, null, true, false, now, now);
        if (fields.Title is null) return Problem.Invalid("title", "title is required");
        if (fields.Category is null) return Problem.Invalid("category", "category is required");
        var type = NormalizeType(fields.Type);
        if (type is null) return Problem.Invalid("type", $"type must be {ServiceType.OneTime} or {ServiceType.Subscription}");
        if (type == ServiceType.OneTime && fields.Tiers is null && fields.PriceCents is null)
            return Problem.Invalid("tiers", "tiers is required (or priceCents for a single tier)");
        return Apply(blank with { Type = type }, fields, now, creating: true);
    }

    /// <summary>The listing with the owner's changes, or the first problem with the result.</summary>
    public static Result<ServiceListing> Change(ServiceListing current, ServiceFields changes, DateTimeOffset now)
    {
        if (changes.Type is not null && NormalizeType(changes.Type) != current.Type)
            return Problem.Invalid("type", "type cannot change once the service is listed");
        if (current.Type == ServiceType.OneTime && changes.PriceCents is not null && changes.Tiers is null)
            return Problem.Invalid("priceCents", "change a one-time service's prices through tiers");
        return Apply(current, changes, now, creating: false);
    }

    static Result<ServiceListing> Apply(ServiceListing current, ServiceFields f, DateTimeOffset now, bool creating)
    {
        var title = f.Title?.Trim() ?? current.Title;
        if (title.Length is 0 or > MaxTitle) return Problem.Invalid("title", $"title must be 1 to {MaxTitle} characters");

        var description = f.Description ?? current.Description;
        if (description.Length > MaxDescription)
            return Problem.Invalid("description", $"description must be at most {MaxDescription} characters");

        var category = f.Category?.Trim() ?? current.Category;
        if (category.Length is 0 or > MaxCategory) return Problem.Invalid("category", $"category must be 1 to {MaxCategory} characters");

        var tags = current.Tags;
        if (f.Tags is not null)
        {
            if (f.Tags.Count > MaxTags) return Problem.Invalid("tags", $"tags may hold at most {MaxTags} entries");
            var trimmed = new List<string>();
            foreach (var tag in f.Tags)
            {
                var t = tag?.Trim() ?? "";
                if (t.Length is 0 or > MaxTag) return Problem.Invalid("tags", $"each tag must be 1 to {MaxTag} characters");
                if (!trimmed.Contains(t, StringComparer.OrdinalIgnoreCase)) trimmed.Add(t);
            }
            tags = trimmed;
        }

        var tiers = current.Tiers;
        long? monthly = current.MonthlyPriceCents;
        int? interval = current.RunIntervalHours;
        if (current.Type == ServiceType.Subscription)
        {
            if (f.Tiers is { Count: > 0 })
                return Problem.Invalid("tiers", "a SUBSCRIPTION service has no tiers: it is priced by priceCents per month");
            monthly = f.PriceCents ?? monthly;
            interval = f.RunIntervalHours ?? interval;
            if (monthly is null) return Problem.Invalid("priceCents", "priceCents (per month) is required for a SUBSCRIPTION service");
            if (CheckPrice("priceCents", monthly.Value) is { } price) return price;
            if (interval is null) return Problem.Invalid("runIntervalHours", "runIntervalHours is required for a SUBSCRIPTION service");
            if (interval is < MinRunIntervalHours or > MaxRunIntervalHours)
                return Problem.Invalid("runIntervalHours", $"runIntervalHours must be between {MinRunIntervalHours} and {MaxRunIntervalHours}");
        }
        else
        {
            if (f.RunIntervalHours is not null)
                return Problem.Invalid("runIntervalHours", "runIntervalHours is only for a SUBSCRIPTION service");
            if (f.Tiers is not null)
            {
                var checkedTiers = CheckTiers(f.Tiers);
                if (checkedTiers.Problem is { } problem) return problem;
                tiers = checkedTiers.Value!;
                // A client may repeat the lowest tier's price at the top level; any other price is a contradiction.
                if (f.PriceCents is { } top && top != tiers.Min(t => t.PriceCents))
                    return Problem.Invalid("priceCents", "priceCents must be left out (or equal the lowest tier's price) when tiers are given");
            }
            else if (creating && f.PriceCents is { } single)
            {
                if (CheckPrice("priceCents", single) is { } price) return price;
                tiers = [new ServiceTier(DefaultTierName, null, single, DefaultDeliveryDays, [])];
            }
        }

        var next = current with
        {
            Title = title, Description = description, Category = category, Tags = tags, Tiers = tiers,
            MonthlyPriceCents = monthly, RunIntervalHours = interval, Active = f.Active ?? current.Active,
        };
        return Result<ServiceListing>.Ok(SameContent(next, current) ? current : next with { UpdatedAt = now });
    }

    static Result<IReadOnlyList<ServiceTier>> CheckTiers(IReadOnlyList<ServiceTierFields?> tiers)
    {
        if (tiers.Count is < MinTiers or > MaxTiers) return Problem.Invalid("tiers", $"a service has {MinTiers} to {MaxTiers} tiers");
        var result = new List<ServiceTier>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var at = $"tiers[{i}]";
            if (tiers[i] is not { } tier) return Problem.Invalid(at, $"{at} must be an object");
            var name = tier.Name?.Trim() ?? "";
            if (name.Length is 0 or > MaxTierName) return Problem.Invalid($"{at}.name", $"{at}.name must be 1 to {MaxTierName} characters");
            if (result.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
                return Problem.Invalid($"{at}.name", $"tier names must be unique (\"{name}\" is given twice)");
            if (tier.Description is { Length: > MaxTierDescription })
                return Problem.Invalid($"{at}.description", $"{at}.description must be at most {MaxTierDescription} characters");
            if (tier.PriceCents is not { } price) return Problem.Invalid($"{at}.priceCents", $"{at}.priceCents is required");
            if (CheckPrice($"{at}.priceCents", price) is { } badPrice) return badPrice;
            if (tier.DeliveryDays is not { } days) return Problem.Invalid($"{at}.deliveryDays", $"{at}.deliveryDays is required");
            if (days is < MinDeliveryDays or > MaxDeliveryDays)
                return Problem.Invalid($"{at}.deliveryDays", $"{at}.deliveryDays must be between {MinDeliveryDays} and {MaxDeliveryDays}");
            var features = tier.Features ?? [];
            if (features.Count > MaxFeatures) return Problem.Invalid($"{at}.features", $"{at}.features may hold at most {MaxFeatures} entries");
            if (features.Any(f => f is null || f.Trim().Length is 0 or > MaxFeature))
                return Problem.Invalid($"{at}.features", $"each feature must be 1 to {MaxFeature} characters");
            result.Add(new ServiceTier(name, tier.Description, price, days, [.. features.Select(f => f.Trim())]));
        }
        return Result<IReadOnlyList<ServiceTier>>.Ok(result);
    }

    static Problem? CheckPrice(string field, long cents) =>
        cents is < MinPriceCents or > MaxPriceCents
            ? Problem.Invalid(field, $"{field} must be a whole number of cents between {MinPriceCents} and {MaxPriceCents}")
            : null;

    static string? NormalizeType(string? type) => type?.Trim().ToUpperInvariant() switch
    {
        null => ServiceType.OneTime,
        ServiceType.OneTime => ServiceType.OneTime,
        ServiceType.Subscription => ServiceType.Subscription,
        _ => null,
    };

    /// <summary>Equal listings but for the update time (records compare lists by reference, so lists by content here).</summary>
    public static bool SameContent(ServiceListing a, ServiceListing b) =>
        a.Title == b.Title && a.Description == b.Description && a.Category == b.Category
        && a.Tags.SequenceEqual(b.Tags) && a.Type == b.Type && a.MonthlyPriceCents == b.MonthlyPriceCents
        && a.RunIntervalHours == b.RunIntervalHours && a.Active == b.Active && a.Deleted == b.Deleted
        && a.Tiers.Count == b.Tiers.Count
        && a.Tiers.Zip(b.Tiers).All(p => p.First.Name == p.Second.Name && p.First.Description == p.Second.Description
            && p.First.PriceCents == p.Second.PriceCents && p.First.DeliveryDays == p.Second.DeliveryDays
            && p.First.Features.SequenceEqual(p.Second.Features));
}
