using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class ServiceSearchTests(ActorsStack stack)
{
    sealed record Catalog(string Stem, RegisteredAgent Alpha, RegisteredAgent Beta, string Review, string Essay, string Audit);

    /// <summary>
    /// Two agents, three live services (review 25.00 and essay 10.00 by alpha, rated 4.9; audit
    /// 90.00 by beta, rated 3.0), created a second apart in that order, and a paused and a deleted
    /// one that no listing may show.
    /// </summary>
    async Task<Catalog> ListCatalog()
    {
        var stem = "cat" + Guid.NewGuid().ToString("N")[..8];
        var alpha = await stack.RegisterAgent(name: $"{stem} Alpha");
        var beta = await stack.RegisterAgent(name: $"{stem} Beta");
        using var a = stack.AsAgent(alpha.ApiKey);
        using var b = stack.AsAgent(beta.ApiKey);

        async Task<string> List(HttpClient agent, object body)
        {
            stack.Clock.Advance(TimeSpan.FromSeconds(1));
            return (await agent.CreateService(body)).GetProperty("id").GetString()!;
        }
        var review = await List(a, ServiceClient.ExampleService(title: $"{stem} code review", tags: ["Code-Review", "python"]));
        var essay = await List(a, new { title = "Essays", description = $"writes {stem} essays", category = "writing", tags = new[] { "writing" }, priceCents = 1000 });
        var audit = await List(b, new
        {
            title = $"{stem} audit", category = "Development", tags = new[] { "python", "security" },
            tiers = new[] { new { name = "Basic", priceCents = 9000, deliveryDays = 2 }, new { name = "Premium", priceCents = 20000, deliveryDays = 5 } },
        });
        await List(a, new { title = $"{stem} paused", category = "development", priceCents = 100, active = false });
        var gone = await List(b, new { title = $"{stem} deleted", category = "development", priceCents = 100 });
        Assert.Equal(HttpStatusCode.OK, (await b.DeleteAsync($"/market/api/services/{gone}")).StatusCode);

        // Ratings come from completed jobs (the jobs part): written where the agent grain keeps them.
        await stack.Postgres.Scalar("UPDATE agent_directory SET rating = 4.9 WHERE agent_id = @id", ("id", alpha.Id));
        await stack.Postgres.Scalar("UPDATE agent_directory SET rating = 3.0 WHERE agent_id = @id", ("id", beta.Id));
        return new Catalog(stem, alpha, beta, review, essay, audit);
    }

    [Fact]
    public async Task Search_filters_by_text_category_tags_rating_price_and_agent()
    {
        var c = await ListCatalog();
        var stem = c.Stem;

        Assert.Equal(Ids(c.Review, c.Essay, c.Audit), await Found($"q={stem}"));
        Assert.Equal(Ids(c.Review), await Found($"q={stem}%20code"));
        Assert.Equal(Ids(c.Essay), await Found($"q=writes%20{stem.ToUpperInvariant()}"));
        Assert.Equal(Ids(c.Review, c.Essay, c.Audit), await Found($"agent={stem}"));
        Assert.Equal(Ids(c.Audit), await Found($"agent={stem}%20BETA"));
        Assert.Equal(Ids(c.Review, c.Audit), await Found($"agent={stem}&category=DEVELOPMENT"));
        Assert.Equal(Ids(c.Review, c.Audit), await Found($"agent={stem}&tags=python"));
        Assert.Equal(Ids(c.Audit), await Found($"agent={stem}&tags=python,%20Security"));
        Assert.Equal(Ids(c.Review), await Found($"agent={stem}&tags=code-review"));
        Assert.Empty(await Found($"agent={stem}&tags=python,writing"));
        Assert.Equal(Ids(c.Review, c.Essay), await Found($"agent={stem}&minRating=4"));
        Assert.Equal(Ids(c.Review, c.Essay), await Found($"agent={stem}&maxPrice=25"));
        Assert.Equal(Ids(c.Essay), await Found($"agent={stem}&maxPrice=24.99"));
        Assert.Equal(Ids(c.Review, c.Essay, c.Audit), await Found($"agent={stem}&maxPrice=90.00"));
        Assert.Empty(await Found($"agent={stem}&maxPrice=0"));
        Assert.Equal(Ids(c.Audit), await Found($"q={stem}&minRating=2&maxPrice=100&tags=security&category=development&agent=beta"));

        // A hit is the seed's shape: price, tiers and the agent offering it.
        var hit = (await Search($"q={stem}%20audit")).GetProperty("data")[0];
        Assert.Equal(c.Audit, hit.GetProperty("id").GetString());
        Assert.Equal("Development", hit.GetProperty("category").GetString());
        Assert.Equal(["python", "security"], hit.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(9000, hit.GetProperty("priceCents").GetInt64());
        Assert.Equal("90.00", hit.GetProperty("priceUsd").GetString());
        Assert.Equal(2, hit.GetProperty("tiers").GetArrayLength());
        Assert.Equal(20000, hit.GetProperty("tiers")[1].GetProperty("priceCents").GetInt64());
        var agent = hit.GetProperty("agent");
        Assert.Equal(c.Beta.Id, agent.GetProperty("id").GetString());
        Assert.Equal(c.Beta.Name, agent.GetProperty("name").GetString());
        Assert.Equal(3.0, agent.GetProperty("rating").GetDouble());
        Assert.True(agent.GetProperty("availableForHire").GetBoolean());
    }

    [Fact]
    public async Task Search_pages_with_offset_and_cursor_newest_first()
    {
        var c = await ListCatalog();

        var first = await Search($"agent={c.Stem}&limit=2");
        Assert.Equal(3, first.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.True(first.GetProperty("meta").GetProperty("hasMore").GetBoolean());
        Assert.Equal([c.Audit, c.Essay], IdsOf(first.GetProperty("data")));

        var cursor = first.GetProperty("meta").GetProperty("nextCursor").GetString()!;
        var second = await Search($"agent={c.Stem}&limit=2&cursor={cursor}");
        Assert.Equal([c.Review], IdsOf(second.GetProperty("data")));
        Assert.False(second.GetProperty("meta").GetProperty("hasMore").GetBoolean());

        var byOffset = await Search($"agent={c.Stem}&limit=2&offset=2");
        Assert.Equal([c.Review], IdsOf(byOffset.GetProperty("data")));
        Assert.Equal(20, (await Search($"agent={c.Stem}")).GetProperty("meta").GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Browse_sorts_by_newest_price_and_rating()
    {
        var c = await ListCatalog();

        Assert.Equal([c.Audit, c.Essay, c.Review], await Browsed($"q={c.Stem}&category=&sort=newest"));
        Assert.Equal([c.Audit, c.Essay, c.Review], await Browsed($"q={c.Stem}"));
        Assert.Equal([c.Essay, c.Review, c.Audit], await Browsed($"q={c.Stem}&sort=price-low"));
        Assert.Equal([c.Audit, c.Review, c.Essay], await Browsed($"q={c.Stem}&sort=PRICE-HIGH"));
        // Alpha (4.9) first, its two newest first; then beta (3.0).
        Assert.Equal([c.Essay, c.Review, c.Audit], await Browsed($"q={c.Stem}&sort=rating"));
        Assert.Equal([c.Audit], await Browsed($"q={c.Stem}&sort=price-high&limit=1"));
        Assert.Equal([c.Review], await Browsed($"q={c.Stem}&sort=price-high&limit=1&offset=1"));
        Assert.Equal([c.Audit, c.Review], await Browsed($"q={c.Stem}&category=development"));
        Assert.Equal([c.Review], await Browsed($"q={c.Stem}%20code&category=development"));
    }

    [Theory]
    [InlineData("search?limit=0", "limit")]
    [InlineData("search?limit=1000", "limit")]
    [InlineData("search?limit=abc", "limit")]
    [InlineData("search?offset=-1", "offset")]
    [InlineData("search?minRating=6", "minRating")]
    [InlineData("search?minRating=NaN", "minRating")]
    [InlineData("search?maxPrice=abc", "maxPrice")]
    [InlineData("search?maxPrice=-1", "maxPrice")]
    [InlineData("search?maxPrice=1.234", "maxPrice")]
    [InlineData("search?maxPrice=1e3", "maxPrice")]
    [InlineData("search?cursor=not-a-cursor", "cursor")]
    [InlineData("search?cursor=MTIzOmFndF94", "cursor")] // a directory cursor ("123:agt_x"), not a service one
    [InlineData("search?tags=1,2,3,4,5,6,7,8,9,10,11", "tags")]
    [InlineData("?sort=cheapest", "sort")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?offset=-5", "offset")]
    public async Task Bad_query_parameters_are_400s_naming_the_parameter(string query, string field)
    {
        var response = await stack.Http.GetAsync($"/market/api/services/{query}");

        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    async Task<JsonElement> Search(string query)
    {
        var response = await stack.Http.GetAsync($"/market/api/services/search?{query}");
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return body;
    }

    async Task<List<string>> Found(string query)
    {
        var body = await Search(query + "&limit=100");
        var ids = IdsOf(body.GetProperty("data")).Order().ToList();
        Assert.Equal(ids.Count, body.GetProperty("meta").GetProperty("total").GetInt32());
        return ids;
    }

    async Task<List<string>> Browsed(string query)
    {
        var response = await stack.Http.GetAsync($"/market/api/services?{query}");
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return IdsOf(body.GetProperty("services"));
    }

    static List<string> IdsOf(JsonElement items) => [.. items.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    static List<string> Ids(params string[] ids) => [.. ids.Order()];
}
