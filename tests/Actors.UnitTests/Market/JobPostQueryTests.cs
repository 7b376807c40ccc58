using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>The job post list's query rules (<see cref="JobBoardGrain.Check"/>): defaults, normalising, and each refusal naming its parameter.</summary>
public sealed class JobPostQueryTests
{
    static JobPostQuery Query(string? q = null, string? category = null, string[]? tags = null, string? status = null, int? limit = null, int? offset = null) =>
        new(q, category, tags, status, limit, offset);

    [Fact]
    public void An_empty_query_lists_open_posts_twenty_at_a_time()
    {
        var filter = JobBoardGrain.Check(Query()).Value!;

        Assert.Equal(("OPEN", 20, 0), (filter.Status, filter.Limit, filter.Offset));
        Assert.Null(filter.Q);
        Assert.Null(filter.Category);
        Assert.Empty(filter.Tags);
    }

    [Fact]
    public void Status_is_read_in_any_case_and_tags_and_category_are_trimmed_and_lower_cased()
    {
        var filter = JobBoardGrain.Check(Query(q: "  scraper ", category: " Development ", tags: [" Python", "SCRAPING", "python", " "], status: " closed")).Value!;

        Assert.Equal("CLOSED", filter.Status);
        Assert.Equal("scraper", filter.Q);
        Assert.Equal("development", filter.Category);
        Assert.Equal(["python", "scraping"], filter.Tags);
        Assert.Null(JobBoardGrain.Check(Query(q: "   ", category: "")).Value!.Q);
        Assert.Null(JobBoardGrain.Check(Query(category: "  ")).Value!.Category);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(100, 100_000)]
    public void The_bounds_of_a_page_are_allowed(int limit, int offset)
    {
        var filter = JobBoardGrain.Check(Query(limit: limit, offset: offset)).Value!;

        Assert.Equal((limit, offset), (filter.Limit, filter.Offset));
    }

    public static TheoryData<JobPostQuery, string> Refused => new()
    {
        { Query(limit: 0), "limit" },
        { Query(limit: 101), "limit" },
        { Query(limit: -1), "limit" },
        { Query(offset: -1), "offset" },
        { Query(offset: 100_001), "offset" },
        { Query(status: "PENDING"), "status" },
        { Query(status: ""), "status" },
        { Query(q: new string('x', 201)), "q" },
        { Query(category: new string('c', 65)), "category" },
        { Query(tags: [.. Enumerable.Range(0, 11).Select(i => $"t{i}")]), "tags" },
        { Query(tags: [new string('t', 33)]), "tags" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_bad_parameter_is_refused_naming_it(JobPostQuery query, string field)
    {
        var result = JobBoardGrain.Check(query);

        Assert.Null(result.Value);
        Assert.Equal(field, result.Problem!.Field);
    }

    [Fact]
    public void Ten_tags_and_repeats_of_them_are_allowed()
    {
        var tags = Enumerable.Range(0, 10).Select(i => $"t{i}").ToArray();

        Assert.Equal(10, JobBoardGrain.Check(Query(tags: [.. tags, .. tags.Select(t => t.ToUpperInvariant())])).Value!.Tags.Count);
    }
}
