using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>What a listing may hold, on create and on update alike.</summary>
public sealed class ServiceRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    static ServiceTierFields Tier(string name, long? price = 2500, int? days = 1, params string[] features) =>
        new(name, null, price, days, features);

    static ServiceFields Valid(params ServiceTierFields[] tiers) =>
        new(Title: " Code Review ", Description: "Thorough", Category: " development ", Tags: ["code", "Code", " review "],
            Tiers: tiers.Length == 0 ? [Tier("Basic"), Tier("Standard", 7500, 3)] : tiers);

    static ServiceListing Create(ServiceFields fields)
    {
        var result = ServiceRules.Create("svc_1", "agt_1", fields, Now);
        Assert.Null(result.Problem);
        return result.Value!;
    }

    static string? FieldOf(ServiceFields fields) => ServiceRules.Create("svc_1", "agt_1", fields, Now).Problem?.Field;

    [Fact]
    public void A_valid_listing_is_trimmed_and_priced_by_its_lowest_tier()
    {
        var listing = Create(Valid(Tier("Standard", 7500, 3), Tier("Basic", 2500, 1)));

        Assert.Equal("Code Review", listing.Title);
        Assert.Equal("development", listing.Category);
        Assert.Equal(["code", "review"], listing.Tags);
        Assert.Equal(ServiceType.OneTime, listing.Type);
        Assert.True(listing.Active);
        Assert.False(listing.Deleted);
        Assert.Equal(2500, listing.PriceCents());
        Assert.Equal("Basic", listing.Tier("BASIC")!.Name);
        Assert.Equal("Standard", listing.Tier(null)!.Name);
    }

    [Fact]
    public void A_price_without_tiers_is_one_basic_tier()
    {
        var listing = Create(new ServiceFields(Title: "T", Category: "c", PriceCents: 500));

        var tier = Assert.Single(listing.Tiers);
        Assert.Equal((ServiceRules.DefaultTierName, 500L, ServiceRules.DefaultDeliveryDays), (tier.Name, tier.PriceCents, tier.DeliveryDays));
        Assert.Equal("", listing.Description);
    }

    [Fact]
    public void A_subscription_is_priced_per_month()
    {
        var listing = Create(new ServiceFields(Title: "Daily", Category: "c", Type: "subscription", PriceCents: 1000, RunIntervalHours: 24));

        Assert.Equal(ServiceType.Subscription, listing.Type);
        Assert.Equal(1000, listing.PriceCents());
        Assert.Equal(24, listing.RunIntervalHours);
        Assert.Empty(listing.Tiers);
    }

    public static TheoryData<ServiceFields, string> Refused() => new()
    {
        { Valid() with { Title = null }, "title" },
        { Valid() with { Title = "  " }, "title" },
        { Valid() with { Title = new string('t', ServiceRules.MaxTitle + 1) }, "title" },
        { Valid() with { Description = new string('d', ServiceRules.MaxDescription + 1) }, "description" },
        { Valid() with { Category = null }, "category" },
        { Valid() with { Category = new string('c', ServiceRules.MaxCategory + 1) }, "category" },
        { Valid() with { Tags = [.. Enumerable.Range(0, ServiceRules.MaxTags + 1).Select(i => $"t{i}")] }, "tags" },
        { Valid() with { Tags = [new string('g', ServiceRules.MaxTag + 1)] }, "tags" },
        { Valid() with { Tiers = null }, "tiers" },
        { Valid() with { Tiers = [] }, "tiers" },
        { Valid(Tier("A"), Tier("B"), Tier("C"), Tier("D")), "tiers" },
        { Valid(Tier("Basic"), Tier(" basic ")), "tiers[1].name" },
        { Valid(Tier("")), "tiers[0].name" },
        { Valid(Tier("Basic", price: null)), "tiers[0].priceCents" },
        { Valid(Tier("Basic", price: 0)), "tiers[0].priceCents" },
        { Valid(Tier("Basic", price: ServiceRules.MaxPriceCents + 1)), "tiers[0].priceCents" },
        { Valid(Tier("Basic", days: null)), "tiers[0].deliveryDays" },
        { Valid(Tier("Basic", days: 0)), "tiers[0].deliveryDays" },
        { Valid(Tier("Basic", days: ServiceRules.MaxDeliveryDays + 1)), "tiers[0].deliveryDays" },
        { Valid(Tier("Basic", 100, 1, [.. Enumerable.Repeat("f", ServiceRules.MaxFeatures + 1)])), "tiers[0].features" },
        { Valid(Tier("Basic", 100, 1, new string('f', ServiceRules.MaxFeature + 1))), "tiers[0].features" },
        { Valid() with { PriceCents = 999 }, "priceCents" },
        { Valid() with { RunIntervalHours = 24 }, "runIntervalHours" },
        { Valid() with { Type = "WEEKLY" }, "type" },
        { new ServiceFields(Title: "T", Category: "c", PriceCents: -1), "priceCents" },
        { new ServiceFields(Title: "T", Category: "c", Type: "SUBSCRIPTION", RunIntervalHours: 24), "priceCents" },
        { new ServiceFields(Title: "T", Category: "c", Type: "SUBSCRIPTION", PriceCents: 100), "runIntervalHours" },
        { new ServiceFields(Title: "T", Category: "c", Type: "SUBSCRIPTION", PriceCents: 100, RunIntervalHours: 721), "runIntervalHours" },
        { new ServiceFields(Title: "T", Category: "c", Type: "SUBSCRIPTION", PriceCents: 100, RunIntervalHours: 24, Tiers: [Tier("Basic")]), "tiers" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_rule_refuses_naming_its_field(ServiceFields fields, string field) =>
        Assert.Equal(field, FieldOf(fields));

    [Fact]
    public void The_lowest_tier_price_may_be_repeated_at_the_top()
    {
        Assert.Null(FieldOf(Valid() with { PriceCents = 2500 }));
    }

    [Fact]
    public void A_change_is_merged_onto_the_listing_and_checked_whole()
    {
        var listing = Create(Valid());
        var later = Now.AddMinutes(1);

        var renamed = ServiceRules.Change(listing, new ServiceFields(Title: "Renamed", Active: false), later).Value!;
        Assert.Equal(("Renamed", "Thorough", false, 2), (renamed.Title, renamed.Description, renamed.Active, renamed.Tiers.Count));
        Assert.Equal(later, renamed.UpdatedAt);

        Assert.Equal("type", ServiceRules.Change(listing, new ServiceFields(Type: "SUBSCRIPTION"), later).Problem?.Field);
        Assert.Equal("priceCents", ServiceRules.Change(listing, new ServiceFields(PriceCents: 100), later).Problem?.Field);
        Assert.Equal("title", ServiceRules.Change(listing, new ServiceFields(Title: ""), later).Problem?.Field);
        Assert.Null(ServiceRules.Change(listing, new ServiceFields(Type: "one_time"), later).Problem);
    }

    [Fact]
    public void A_change_that_changes_nothing_keeps_the_listing_as_it_is()
    {
        var listing = Create(Valid());

        var same = ServiceRules.Change(listing, new ServiceFields(Title: "Code Review", Tiers: [Tier("Basic"), Tier("Standard", 7500, 3)]), Now.AddHours(1));

        Assert.Same(listing, same.Value);
    }
}
