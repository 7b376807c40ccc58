using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>The service search's parameters: what is taken and what each refusal names.</summary>
public sealed class ServiceQueryTests
{
    [Fact]
    public void Values_are_normalised()
    {
        var filter = ServiceSearchGrain.Check(new ServiceQuery(Tags: " Python, code-review ,,python", MaxPriceUsd: "25.5", Sort: "Price-Low")).Value!;

        Assert.Equal(["python", "code-review"], filter.Tags);
        Assert.Equal(2550, filter.MaxPriceCents);
        Assert.Equal(ServiceSorts.PriceLow, filter.Sort);
        Assert.Equal(ServiceSorts.Newest, ServiceSearchGrain.Check(new ServiceQuery()).Value!.Sort);
    }

    public static TheoryData<ServiceQuery, string> Refused() => new()
    {
        { new ServiceQuery(Limit: 0), "limit" },
        { new ServiceQuery(Limit: 101), "limit" },
        { new ServiceQuery(Offset: -1), "offset" },
        { new ServiceQuery(MinRating: 5.1), "minRating" },
        { new ServiceQuery(MinRating: double.NaN), "minRating" },
        { new ServiceQuery(MaxPriceUsd: "abc"), "maxPrice" },
        { new ServiceQuery(Sort: "cheapest"), "sort" },
        { new ServiceQuery(Query: new string('q', 201)), "q" },
        { new ServiceQuery(AgentName: new string('a', 201)), "agent" },
        { new ServiceQuery(Tags: string.Join(",", Enumerable.Range(0, 11))), "tags" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_bad_parameter_is_named(ServiceQuery query, string field) =>
        Assert.Equal(field, ServiceSearchGrain.Check(query).Problem?.Field);
}
