using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Memory;

[Collection(StackCollection.Name)]
public sealed class MemorySpaceTests(ActorsStack stack)
{
    [Fact]
    public async Task A_memory_is_stored_read_listed_and_deleted()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);

        var created = await (await agent.Remember("Deploys go out on Tuesdays", metadata: new { tags = new[] { "ops" }, weight = 2 }))
            .Data(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("mem_", id);
        Assert.Equal("default", created.GetProperty("project_id").GetString());
        Assert.Equal(2, created.GetProperty("metadata").GetProperty("weight").GetInt32());

        var read = await (await agent.GetAsync($"/memory/api/v1/memories/{id}")).Data();
        Assert.Equal("Deploys go out on Tuesdays", read.GetProperty("content").GetString());
        Assert.Equal("ops", read.GetProperty("metadata").GetProperty("tags")[0].GetString());

        var list = await (await agent.GetAsync("/memory/api/v1/memories")).Data();
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(id, list.GetProperty("memories")[0].GetProperty("id").GetString());

        var deleted = await (await agent.DeleteAsync($"/memory/api/v1/memories/{id}")).Data();
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        await (await agent.GetAsync($"/memory/api/v1/memories/{id}")).AssertError(HttpStatusCode.NotFound);
        await (await agent.DeleteAsync($"/memory/api/v1/memories/{id}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Full_text_search_finds_words_by_stem_within_a_project()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var fox = await agent.Store("The quick brown fox jumps over the lazy dog", "stories");
        await agent.Store("PostgreSQL indexes tsvector columns with GIN", "notes");
        var foxNote = await agent.Store("Foxes are mentioned in the notes too", "notes");

        var all = await (await agent.GetAsync("/memory/api/v1/memories?q=foxes")).Data();
        Assert.Equal(2, all.GetProperty("total").GetInt64());
        var ids = all.GetProperty("memories").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains(fox, ids);
        Assert.Contains(foxNote, ids);

        var inNotes = await (await agent.GetAsync("/memory/api/v1/memories?q=fox&project_id=notes")).Data();
        Assert.Equal(foxNote, Assert.Single(inNotes.GetProperty("memories").EnumerateArray()).GetProperty("id").GetString());

        // websearch syntax: "phrases" keep word order.
        var phrase = await (await agent.GetAsync($"/memory/api/v1/memories?q={Uri.EscapeDataString("\"brown fox\"")}")).Data();
        Assert.Equal(fox, Assert.Single(phrase.GetProperty("memories").EnumerateArray()).GetProperty("id").GetString());
        var reversed = await (await agent.GetAsync($"/memory/api/v1/memories?q={Uri.EscapeDataString("\"fox brown\"")}")).Data();
        Assert.Equal(0, reversed.GetProperty("total").GetInt64());
        var none = await (await agent.GetAsync("/memory/api/v1/memories?q=elephant")).Data();
        Assert.Equal(0, none.GetProperty("memories").GetArrayLength());
    }

    [Fact]
    public async Task Pages_follow_limit_and_offset_newest_first()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await agent.Store($"memory number {i}"));

        var first = await (await agent.GetAsync("/memory/api/v1/memories?limit=2")).Data();
        Assert.Equal(5, first.GetProperty("total").GetInt64());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[4], first.GetProperty("memories")[0].GetProperty("id").GetString());
        var last = await (await agent.GetAsync("/memory/api/v1/memories?limit=2&offset=4")).Data();
        Assert.False(last.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[0], Assert.Single(last.GetProperty("memories").EnumerateArray()).GetProperty("id").GetString());
        var beyond = await (await agent.GetAsync("/memory/api/v1/memories?offset=50")).Data();
        Assert.Equal(5, beyond.GetProperty("total").GetInt64());
        Assert.Equal(0, beyond.GetProperty("memories").GetArrayLength());
    }

    [Fact]
    public async Task Projects_list_the_default_project_and_every_project_with_memories()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var empty = await (await agent.GetAsync("/memory/api/v1/projects")).Data();
        Assert.Equal("default", Assert.Single(empty.GetProperty("projects").EnumerateArray()).GetProperty("project_id").GetString());

        await agent.Store("a", "alpha");
        await agent.Store("b", "alpha");
        await agent.Store("c", "beta");
        var projects = await (await agent.GetAsync("/memory/api/v1/projects")).Data();
        var counts = projects.GetProperty("projects").EnumerateArray()
            .ToDictionary(p => p.GetProperty("project_id").GetString()!, p => p.GetProperty("memory_count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["default"] = 0, ["alpha"] = 2, ["beta"] = 1 }, counts);
        Assert.Equal(3, projects.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Different_machines_never_see_each_others_memories()
    {
        var a = await stack.RegisterMachine();
        var b = await stack.RegisterMachine();
        using var agentA = stack.AsAgent(a.ApiKey);
        using var agentB = stack.AsAgent(b.ApiKey);
        var secret = await agentA.Store("machine A's private note about zebras", "shared-name");

        await (await agentB.GetAsync($"/memory/api/v1/memories/{secret}")).AssertError(HttpStatusCode.NotFound);
        await (await agentB.DeleteAsync($"/memory/api/v1/memories/{secret}")).AssertError(HttpStatusCode.NotFound);
        Assert.Equal(1, await stack.MemoriesOf(a.UserId));
        Assert.Equal(0, await stack.MemoriesOf(b.UserId));
        var search = await (await agentB.GetAsync("/memory/api/v1/memories?q=zebras")).Data();
        Assert.Equal(0, search.GetProperty("total").GetInt64());
        var list = await (await agentB.GetAsync("/memory/api/v1/memories?project_id=shared-name")).Data();
        Assert.Equal(0, list.GetProperty("total").GetInt64());
        var projects = await (await agentB.GetAsync("/memory/api/v1/projects")).Data();
        Assert.DoesNotContain(projects.GetProperty("projects").EnumerateArray(), p => p.GetProperty("project_id").GetString() == "shared-name");

        var stillThere = await (await agentA.GetAsync($"/memory/api/v1/memories/{secret}")).Data();
        Assert.Equal("machine A's private note about zebras", stillThere.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Keys_that_are_not_a_machines_are_refused()
    {
        await (await stack.Http.GetAsync("/memory/api/v1/memories")).AssertError(HttpStatusCode.Unauthorized);
        await (await stack.Http.GetAsync("/memory/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized);
        using var forged = stack.AsAgent("omx_forged");
        await (await forged.Remember("x")).AssertError(HttpStatusCode.Unauthorized);

        var market = await stack.RegisterAgent();
        using var marketAgent = stack.AsAgent(market.ApiKey);
        Assert.Contains("auto-register", await (await marketAgent.Remember("x")).AssertError(HttpStatusCode.Forbidden));
        await (await marketAgent.GetAsync("/memory/api/v1/memories")).AssertError(HttpStatusCode.Forbidden);
        Assert.Equal(0, await stack.MemoriesWrittenBy(market.Id));
    }

    public static TheoryData<string, string> BadMemories => new()
    {
        { "{}", "content" },
        { "{\"content\":\"  \"}", "content" },
        { "{\"content\":\"a\\u0000b\"}", "content" },
        { "{\"content\":\"x\",\"metadata\":[1,2]}", "metadata" },
        { "{\"content\":\"x\",\"metadata\":\"text\"}", "metadata" },
        { "{\"content\":\"x\",\"metadata\":{\"k\":\"\\u0000\"}}", "metadata" },
        { "{\"content\":\"x\",\"metadata\":{\"k\":\"\\ud800\"}}", "metadata" },
        { "{\"content\":\"x\",\"project_id\":\"has spaces\"}", "project_id" },
        { "{\"content\":\"x\",\"project_id\":\"\"}", "project_id" },
    };

    [Theory]
    [MemberData(nameof(BadMemories))]
    public async Task Bad_memories_are_400s_naming_the_field(string json, string field)
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var response = await agent.PostAsync("/memory/api/v1/memories", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertError(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await stack.MemoriesOf(machine.UserId));
        Assert.Equal(0, (await (await agent.GetAsync("/memory/api/v1/memories")).Data()).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Content_is_limited_to_64_KiB()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        await agent.Store(new string('a', 64 * 1024));
        var error = await (await agent.Remember(new string('a', 64 * 1024 + 1))).AssertError(HttpStatusCode.BadRequest, "content");
        Assert.Contains("65536", error);
        // Multi-byte characters count by their UTF-8 size.
        await (await agent.Remember(new string('é', 40_000))).AssertError(HttpStatusCode.BadRequest, "content");
        // Expect: 100-continue lets the server refuse on the declared length before the body is
        // sent, so the client reads the 413 instead of racing the server's early close.
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/memory/api/v1/memories")
        {
            Content = new StringContent($"{{\"content\":\"{new string('a', 1024 * 1024 + 10)}\"}}", Encoding.UTF8, "application/json"),
        };
        oversized.Headers.ExpectContinue = true;
        var tooBig = await agent.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(1, await stack.MemoriesOf(machine.UserId));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("project_id=a%20b", "project_id")]
    public async Task Bad_queries_are_400s_naming_the_parameter(string query, string field)
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        await (await agent.GetAsync($"/memory/api/v1/memories?{query}")).AssertError(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_query_that_is_not_a_number_is_a_400()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var response = await agent.GetAsync("/memory/api/v1/memories?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync());
    }
}
