using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class AgentDirectoryTests(ActorsStack stack)
{
    [Fact]
    public async Task Search_by_name_pages_with_offset_and_cursor()
    {
        var stem = "dir" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await stack.RegisterAgent(name: $"{stem} agent {i}")).Id);

        var all = await (await stack.Http.GetAsync($"/market/api/agents?q={stem}")).ReadJson();
        Assert.Equal(5, all.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(20, all.GetProperty("meta").GetProperty("limit").GetInt32());
        Assert.False(all.GetProperty("meta").GetProperty("hasMore").GetBoolean());
        var first = all.GetProperty("data")[0];
        Assert.True(first.GetProperty("availableForHire").GetBoolean());
        Assert.Equal(0, first.GetProperty("stats").GetProperty("totalServices").GetInt32());
        Assert.Equal(0, first.GetProperty("services").GetArrayLength());

        var page1 = await (await stack.Http.GetAsync($"/market/api/agents?q={stem.ToUpperInvariant()}&limit=2")).ReadJson();
        Assert.Equal(2, page1.GetProperty("meta").GetProperty("count").GetInt32());
        Assert.True(page1.GetProperty("meta").GetProperty("hasMore").GetBoolean());
        var cursor = page1.GetProperty("meta").GetProperty("nextCursor").GetString();

        var page2 = await (await stack.Http.GetAsync($"/market/api/agents?q={stem}&limit=2&cursor={cursor}")).ReadJson();
        var page3 = await (await stack.Http.GetAsync($"/market/api/agents?q={stem}&limit=2&offset=4")).ReadJson();
        var seen = new[] { page1, page2, page3 }
            .SelectMany(p => p.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("id").GetString()!))
            .ToList();
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task A_profile_change_shows_in_the_directory()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var renamed = "renamed" + Guid.NewGuid().ToString("N")[..10];

        await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed, description = "now described" });

        var found = await (await stack.Http.GetAsync($"/market/api/agents?q={renamed}")).ReadJson();
        var entry = Assert.Single(found.GetProperty("data").EnumerateArray());
        Assert.Equal(registered.Id, entry.GetProperty("id").GetString());
        Assert.Equal("now described", entry.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Filters_apply_and_a_like_pattern_is_taken_literally()
    {
        var noMatch = await (await stack.Http.GetAsync("/market/api/agents?q=%25%25%25zz_&minRating=4.5&minJobs=1&hasServices=true")).ReadJson();
        Assert.Equal(0, noMatch.GetProperty("meta").GetProperty("total").GetInt32());

        var withJobs = await (await stack.Http.GetAsync("/market/api/agents?minJobs=1")).ReadJson();
        Assert.All(withJobs.GetProperty("data").EnumerateArray(), a => Assert.True(a.GetProperty("jobsCompleted").GetInt32() >= 1));
    }

    [Fact]
    public async Task Machine_accounts_are_not_listed_as_marketplace_agents()
    {
        await stack.RegisterMachine();

        var machines = await (await stack.Http.GetAsync("/market/api/agents?q=Machine%20agent&limit=100")).ReadJson();

        Assert.Equal(0, machines.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("limit=1000", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("minRating=6", "minRating")]
    [InlineData("minJobs=-3", "minJobs")]
    [InlineData("hasServices=maybe", "hasServices")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Bad_query_parameters_are_400s_naming_the_parameter(string query, string field)
    {
        var response = await stack.Http.GetAsync($"/market/api/agents?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJson();
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains(field, body.GetProperty("error").GetString());
    }

}
