using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class ServiceTests(ActorsStack stack)
{
    [Fact]
    public async Task A_service_is_created_read_changed_and_deleted_by_its_owner()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);

        var created = await agent.CreateService(ServiceClient.ExampleService(title: "Code Review & PR Feedback"));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("svc_", id);
        Assert.Equal("Code Review & PR Feedback", created.GetProperty("title").GetString());
        Assert.Equal("development", created.GetProperty("category").GetString());
        Assert.Equal("ONE_TIME", created.GetProperty("type").GetString());
        Assert.Equal(2500, created.GetProperty("priceCents").GetInt64());
        Assert.Equal("25.00", created.GetProperty("priceUsd").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal(owner.Id, created.GetProperty("agentId").GetString());
        var tiers = created.GetProperty("tiers");
        Assert.Equal(2, tiers.GetArrayLength());
        Assert.Equal("Standard", tiers[1].GetProperty("name").GetString());
        Assert.Equal(7500, tiers[1].GetProperty("priceCents").GetInt64());
        Assert.Equal(3, tiers[1].GetProperty("deliveryDays").GetInt32());
        Assert.Equal(["Everything in Basic", "Feature 3"], tiers[1].GetProperty("features").EnumerateArray().Select(f => f.GetString()));

        // Public: no key needed to read it.
        var read = await stack.Http.GetAsync($"/market/api/services/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var readService = (await read.ReadJson()).GetProperty("service");
        Assert.Equal("Code Review & PR Feedback", readService.GetProperty("title").GetString());
        Assert.Equal(owner.Name, readService.GetProperty("agent").GetProperty("name").GetString());
        Assert.True(readService.GetProperty("agent").GetProperty("availableForHire").GetBoolean());

        var patched = await agent.PatchAsJsonAsync($"/market/api/services/{id}", new
        {
            title = "Code Review",
            active = false,
            tiers = new[] { new { name = "Premium", priceCents = 15000, deliveryDays = 5, features = new[] { "Full codebase audit" } } },
        });
        var patchedBody = await patched.ReadJson();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var service = patchedBody.GetProperty("service");
        Assert.Equal("Code Review", service.GetProperty("title").GetString());
        Assert.Equal("What this service does", service.GetProperty("description").GetString());
        Assert.False(service.GetProperty("active").GetBoolean());
        Assert.Equal(15000, service.GetProperty("priceCents").GetInt64());
        Assert.Equal("150.00", service.GetProperty("priceUsd").GetString());
        Assert.Equal("Premium", Assert.Single(service.GetProperty("tiers").EnumerateArray()).GetProperty("name").GetString());
        Assert.False((await (await stack.Http.GetAsync($"/market/api/services/{id}")).ReadJson()).GetProperty("service").GetProperty("active").GetBoolean());

        var deleted = await agent.DeleteAsync($"/market/api/services/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await deleted.ReadJson()).GetProperty("deleted").GetBoolean());

        Assert.Equal(HttpStatusCode.NotFound, (await stack.Http.GetAsync($"/market/api/services/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PatchAsJsonAsync($"/market/api/services/{id}", new { title = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/market/api/services/{id}")).StatusCode);
        // The listing stays for the jobs hired through it.
        Assert.Equal("Code Review|false|true", ((string)(await stack.Postgres.Scalar(
            "SELECT title || '|' || active || '|' || deleted FROM market_services WHERE service_id = @id", ("id", id)))!));
    }

    [Fact]
    public async Task Only_the_owner_may_change_or_delete_a_service()
    {
        var owner = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        using var ownerClient = stack.AsAgent(owner.ApiKey);
        using var strangerClient = stack.AsAgent(stranger.ApiKey);
        var id = (await ownerClient.CreateService()).GetProperty("id").GetString()!;
        var before = await stack.ServiceRowVersion(id);

        var patch = await strangerClient.PatchAsJsonAsync($"/market/api/services/{id}", new { title = "mine now" });
        var delete = await strangerClient.DeleteAsync($"/market/api/services/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(before, await stack.ServiceRowVersion(id));
        Assert.True((await (await stack.Http.GetAsync($"/market/api/services/{id}")).ReadJson()).GetProperty("service").GetProperty("active").GetBoolean());

        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.PatchAsJsonAsync("/market/api/services/svc_unknown", new { title = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.DeleteAsync("/market/api/services/svc_unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Http.GetAsync("/market/api/services/svc_unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Http.GetAsync("/market/api/services/not-a-service-id")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.PostAsJsonAsync("/market/api/services", ServiceClient.ExampleService())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.PatchAsJsonAsync($"/market/api/services/{id}", new { title = "x" })).StatusCode);
    }

    public static TheoryData<string, string> InvalidServices() => new()
    {
        { """{"category":"development","tiers":[{"name":"Basic","priceCents":2500,"deliveryDays":1}]}""", "title" },
        { """{"title":"","category":"development","priceCents":500}""", "title" },
        { $$"""{"title":"{{new string('t', 201)}}","category":"development","priceCents":500}""", "title" },
        { $$"""{"title":"T","description":"{{new string('d', 5001)}}","category":"development","priceCents":500}""", "description" },
        { """{"title":"T","priceCents":500}""", "category" },
        { $$"""{"title":"T","category":"{{new string('c', 51)}}","priceCents":500}""", "category" },
        { """{"title":"T","category":"c","tags":["1","2","3","4","5","6","7","8","9","10","11"],"priceCents":500}""", "tags" },
        { $$"""{"title":"T","category":"c","tags":["{{new string('g', 51)}}"],"priceCents":500}""", "tags" },
        { """{"title":"T","category":"c","tags":[" "],"priceCents":500}""", "tags" },
        { """{"title":"T","category":"c"}""", "tiers" },
        { """{"title":"T","category":"c","tiers":[]}""", "tiers" },
        { """{"title":"T","category":"c","tiers":[{"name":"A","priceCents":1,"deliveryDays":1},{"name":"B","priceCents":1,"deliveryDays":1},{"name":"C","priceCents":1,"deliveryDays":1},{"name":"D","priceCents":1,"deliveryDays":1}]}""", "tiers" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":1},{"name":"basic","priceCents":200,"deliveryDays":1}]}""", "tiers[1].name" },
        { """{"title":"T","category":"c","tiers":[{"priceCents":100,"deliveryDays":1}]}""", "tiers[0].name" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","deliveryDays":1}]}""", "tiers[0].priceCents" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":0,"deliveryDays":1}]}""", "tiers[0].priceCents" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":-5,"deliveryDays":1}]}""", "tiers[0].priceCents" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":1000001,"deliveryDays":1}]}""", "tiers[0].priceCents" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100}]}""", "tiers[0].deliveryDays" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":0}]}""", "tiers[0].deliveryDays" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":366}]}""", "tiers[0].deliveryDays" },
        { $$"""{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":1,"features":[{{string.Join(",", Enumerable.Repeat("\"f\"", 21))}}]}]}""", "tiers[0].features" },
        { $$"""{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":1,"features":["{{new string('f', 201)}}"]}]}""", "tiers[0].features" },
        { """{"title":"T","category":"c","priceCents":0}""", "priceCents" },
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":100,"deliveryDays":1}],"priceCents":999}""", "priceCents" },
        { """{"title":"T","category":"c","type":"WEEKLY","priceCents":500}""", "type" },
        { """{"title":"T","category":"c","priceCents":500,"runIntervalHours":24}""", "runIntervalHours" },
        { """{"title":"T","category":"c","type":"SUBSCRIPTION","runIntervalHours":24}""", "priceCents" },
        { """{"title":"T","category":"c","type":"SUBSCRIPTION","priceCents":1000}""", "runIntervalHours" },
        { """{"title":"T","category":"c","type":"SUBSCRIPTION","priceCents":1000,"runIntervalHours":0}""", "runIntervalHours" },
        { """{"title":"T","category":"c","type":"SUBSCRIPTION","priceCents":1000,"runIntervalHours":721}""", "runIntervalHours" },
        { """{"title":"T","category":"c","type":"SUBSCRIPTION","priceCents":1000,"runIntervalHours":24,"tiers":[{"name":"Basic","priceCents":100,"deliveryDays":1}]}""", "tiers" },
        // A fractional cent fails JSON binding, which names the top-level member.
        { """{"title":"T","category":"c","tiers":[{"name":"Basic","priceCents":25.5,"deliveryDays":1}]}""", "tiers" },
        { """{"title":"T","category":"c","priceCents":25.5}""", "priceCents" },
    };

    [Theory]
    [MemberData(nameof(InvalidServices))]
    public async Task Every_rule_refuses_with_the_field_named_and_writes_nothing(string body, string field)
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var states = await stack.GrainStates();

        var response = await agent.PostAsync("/market/api/services", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {json}");
        Assert.Contains(field, json.GetProperty("field").GetString());
        Assert.Equal(0, await stack.ServiceRowsOf(owner.Id));
        Assert.Equal(states, await stack.GrainStates());
        var me = await (await agent.GetAsync("/market/api/agents/me")).ReadJson();
        Assert.Equal(0, me.GetProperty("agent").GetProperty("services").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"type":"SUBSCRIPTION"}""", "type")]
    [InlineData("""{"priceCents":900}""", "priceCents")]
    [InlineData("""{"runIntervalHours":12}""", "runIntervalHours")]
    [InlineData("""{"tiers":[{"name":"A","priceCents":100,"deliveryDays":1},{"name":"a","priceCents":100,"deliveryDays":1}]}""", "tiers[1].name")]
    [InlineData("""{"tags":["1","2","3","4","5","6","7","8","9","10","11"]}""", "tags")]
    public async Task A_refused_change_leaves_the_service_as_it_was(string body, string field)
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var id = (await agent.CreateService()).GetProperty("id").GetString()!;
        var before = await stack.ServiceRowVersion(id);

        var response = await agent.PatchAsync($"/market/api/services/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {json}");
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Equal(before, await stack.ServiceRowVersion(id));
    }

    [Fact]
    public async Task A_subscription_service_is_priced_per_month_and_runs_on_an_interval()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);

        var service = await agent.CreateService(new
        {
            title = "Daily Market Analysis", description = "...", category = "analytics",
            type = "SUBSCRIPTION", priceCents = 1000, runIntervalHours = 24,
        });

        Assert.Equal("SUBSCRIPTION", service.GetProperty("type").GetString());
        Assert.Equal(1000, service.GetProperty("priceCents").GetInt64());
        Assert.Equal("10.00", service.GetProperty("priceUsd").GetString());
        Assert.Equal(24, service.GetProperty("runIntervalHours").GetInt32());
        Assert.Equal(0, service.GetProperty("tiers").GetArrayLength());

        var id = service.GetProperty("id").GetString()!;
        var changed = await (await agent.PatchAsJsonAsync($"/market/api/services/{id}", new { priceCents = 1500, runIntervalHours = 12 })).ReadJson();
        Assert.Equal(1500, changed.GetProperty("service").GetProperty("priceCents").GetInt64());
        Assert.Equal(12, changed.GetProperty("service").GetProperty("runIntervalHours").GetInt32());
    }

    [Fact]
    public async Task A_published_client_listing_a_price_without_tiers_gets_one_basic_tier()
    {
        // The seed's SDKs: addService({ title, category, priceCents: 500 }).
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);

        var service = await agent.CreateService(new { title = "Code Review", category = "development", priceCents = 500 });

        var tier = Assert.Single(service.GetProperty("tiers").EnumerateArray());
        Assert.Equal("Basic", tier.GetProperty("name").GetString());
        Assert.Equal(500, tier.GetProperty("priceCents").GetInt64());
        Assert.Equal(3, tier.GetProperty("deliveryDays").GetInt32());
        Assert.Equal("", service.GetProperty("description").GetString());
        Assert.Equal("5.00", service.GetProperty("priceUsd").GetString());
    }

    [Fact]
    public async Task A_repeated_create_with_the_same_idempotency_key_lists_one_service()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var body = ServiceClient.ExampleService();
        var key = Guid.NewGuid().ToString("N");

        async Task<HttpResponseMessage> Post()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/market/api/services") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await agent.SendAsync(request);
        }
        var first = await Post();
        var second = await Post();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("service").GetProperty("id").GetString(),
            (await second.ReadJson()).GetProperty("service").GetProperty("id").GetString());
        Assert.Equal(1, await stack.ServiceRowsOf(owner.Id));
    }

    [Fact]
    public async Task An_agent_lists_at_most_twenty_services()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++) ids.Add((await agent.CreateService(new { title = $"S{i}", category = "c", priceCents = 100 })).GetProperty("id").GetString()!);
        var states = await stack.GrainStates();

        var refused = await agent.PostAsJsonAsync("/market/api/services", new { title = "one too many", category = "c", priceCents = 100 });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(20, await stack.ServiceRowsOf(owner.Id));
        Assert.Equal(states, await stack.GrainStates());

        // Deleting one makes room again.
        Assert.Equal(HttpStatusCode.OK, (await agent.DeleteAsync($"/market/api/services/{ids[0]}")).StatusCode);
        await agent.CreateService(new { title = "room again", category = "c", priceCents = 100 });
    }

    [Fact]
    public async Task Concurrent_creates_never_list_more_than_twenty_services()
    {
        var owner = await stack.RegisterAgent();
        using var agent = stack.AsAgent(owner.ApiKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 26).Select(i =>
            agent.PostAsJsonAsync("/market/api/services", new { title = $"Race {i}", category = "c", priceCents = 100 + i })));

        Assert.Equal(20, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(20, await stack.ServiceRowsOf(owner.Id));
        Assert.Equal(20, await stack.Postgres.Scalar("SELECT active_services FROM agent_directory WHERE agent_id = @id", ("id", owner.Id)));
        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.Equal(20, me.GetProperty("services").GetArrayLength());
    }

    [Fact]
    public async Task The_profile_and_the_directory_show_the_agents_real_services()
    {
        var owner = await stack.RegisterAgent(name: "svcprof" + Guid.NewGuid().ToString("N")[..10]);
        using var agent = stack.AsAgent(owner.ApiKey);
        Assert.False(await SetupStepDone(agent));

        var listed = await agent.CreateService(ServiceClient.ExampleService(title: "Code Review & PR Feedback", category: "Development"));
        var paused = await agent.CreateService(new { title = "Paused one", category = "writing", priceCents = 900, active = false });
        var listedId = listed.GetProperty("id").GetString()!;

        var me = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        var services = me.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(2, services.Count);
        Assert.Equal(listedId, services[0].GetProperty("id").GetString());
        Assert.Equal("Code Review & PR Feedback", services[0].GetProperty("title").GetString());
        Assert.Equal("What this service does", services[0].GetProperty("description").GetString());
        Assert.Equal(2, services[0].GetProperty("tiers").GetArrayLength());
        Assert.True(services[0].GetProperty("active").GetBoolean());
        Assert.False(services[1].GetProperty("active").GetBoolean());
        Assert.True(await SetupStepDone(agent));

        var entry = await DirectoryEntry(owner.Name, "");
        var shown = Assert.Single(entry.GetProperty("services").EnumerateArray());
        Assert.Equal(listedId, shown.GetProperty("id").GetString());
        Assert.Equal("Code Review & PR Feedback", shown.GetProperty("title").GetString());
        Assert.Equal(2500, shown.GetProperty("priceCents").GetInt64());
        Assert.Equal("25.00", shown.GetProperty("priceUsd").GetString());
        Assert.Equal(1, entry.GetProperty("stats").GetProperty("totalServices").GetInt32());
        Assert.Equal(JsonValueKind.Object, (await DirectoryEntry(owner.Name, "&hasServices=true&category=development")).ValueKind);
        Assert.Equal(JsonValueKind.Undefined, (await DirectoryEntry(owner.Name, "&hasServices=false")).ValueKind);
        Assert.Equal(JsonValueKind.Undefined, (await DirectoryEntry(owner.Name, "&category=writing")).ValueKind);

        // Paused and deleted services leave the directory; deleted ones leave the profile too.
        await agent.PatchAsJsonAsync($"/market/api/services/{listedId}", new { active = false });
        Assert.False(await SetupStepDone(agent));
        Assert.Equal(JsonValueKind.Undefined, (await DirectoryEntry(owner.Name, "&hasServices=true")).ValueKind);
        Assert.Equal(0, (await DirectoryEntry(owner.Name, "")).GetProperty("services").GetArrayLength());

        await agent.DeleteAsync($"/market/api/services/{paused.GetProperty("id").GetString()}");
        await agent.PatchAsJsonAsync($"/market/api/services/{listedId}", new { active = true });
        var after = (await (await agent.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent").GetProperty("services");
        Assert.Equal(listedId, Assert.Single(after.EnumerateArray()).GetProperty("id").GetString());
        Assert.True(await SetupStepDone(agent));
        Assert.Equal(1, (await DirectoryEntry(owner.Name, "&category=development")).GetProperty("stats").GetProperty("totalServices").GetInt32());
    }

    async Task<JsonElement> DirectoryEntry(string name, string filters)
    {
        var page = await (await stack.Http.GetAsync($"/market/api/agents?q={Uri.EscapeDataString(name)}{filters}")).ReadJson();
        return page.GetProperty("data").EnumerateArray().FirstOrDefault();
    }

    static async Task<bool> SetupStepDone(HttpClient agent)
    {
        var setup = await (await agent.GetAsync("/market/api/agents/me/setup")).ReadJson();
        return setup.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "services").GetProperty("done").GetBoolean();
    }
}
