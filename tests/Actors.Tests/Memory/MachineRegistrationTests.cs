using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Tests.Infrastructure;
using Npgsql;

namespace Actors.Tests.Memory;

[Collection(StackCollection.Name)]
public sealed class MachineRegistrationTests(ActorsStack stack)
{
    [Fact]
    public async Task Auto_register_returns_the_documented_shape_and_a_key_valid_on_every_surface()
    {
        var fingerprint = MemoryClient.NewFingerprint();
        var response = await stack.Http.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = fingerprint, platform = "macos", hostname = "macmini-office" });

        var data = await response.Data(HttpStatusCode.Created);
        Assert.StartsWith("mch_", data.GetProperty("user_id").GetString());
        Assert.Matches("^omx_[0-9A-Za-z]{40}$", data.GetProperty("api_key").GetString());
        Assert.Equal("default", data.GetProperty("project_id").GetString());
        Assert.True(data.GetProperty("is_machine_account").GetBoolean());
        Assert.Equal(fingerprint, data.GetProperty("machine_fingerprint").GetString());
        Assert.EndsWith("Z", data.GetProperty("created_at").GetString());

        using var agent = stack.AsAgent(data.GetProperty("api_key").GetString()!);
        var me = await agent.GetAsync("/market/api/agents/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(data.GetProperty("agent_id").GetString(), (await me.ReadJson()).GetProperty("agent").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_same_fingerprint_finds_the_same_account_and_never_hands_out_its_key()
    {
        var machine = await stack.RegisterMachine();

        var again = await stack.Http.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = machine.Fingerprint, platform = "linux" });

        var data = await again.Data(HttpStatusCode.OK);
        Assert.Equal(machine.UserId, data.GetProperty("user_id").GetString());
        Assert.Equal(JsonValueKindNull, data.GetProperty("api_key").ValueKind);
        Assert.Contains("shown once", data.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Concurrent_first_registrations_of_one_fingerprint_create_one_account()
    {
        var fingerprint = MemoryClient.NewFingerprint();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => stack.Http.PostAsJsonAsync(
            "/memory/api/v1/agents/auto-register", new { machine_fingerprint = fingerprint, platform = "windows" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Data(r.StatusCode)).GetProperty("user_id").GetString()));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task An_agent_of_the_machine_gets_another_key_on_the_same_memory_pool()
    {
        var machine = await stack.RegisterMachine();
        using var first = stack.AsAgent(machine.ApiKey);
        var id = await first.Store("the build server is called atlas");

        var response = await first.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = machine.Fingerprint, platform = "linux" });
        var data = await response.Data(HttpStatusCode.OK);
        var secondKey = data.GetProperty("api_key").GetString()!;
        Assert.NotEqual(machine.ApiKey, secondKey);
        Assert.Equal(machine.UserId, data.GetProperty("user_id").GetString());

        using var second = stack.AsAgent(secondKey);
        var memory = await (await second.GetAsync($"/memory/api/v1/memories/{id}")).Data();
        Assert.Equal("the build server is called atlas", memory.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Only_a_keyed_hash_of_the_fingerprint_is_stored()
    {
        var machine = await stack.RegisterMachine();
        await using var db = NpgsqlDataSource.Create(stack.Postgres.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM orleans_grain_state WHERE position(@fp in convert_from(payload, 'UTF8')) > 0");
        cmd.Parameters.AddWithValue("fp", machine.Fingerprint);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        Assert.DoesNotContain(machine.Fingerprint[3..], machine.UserId);
    }

    [Theory]
    [InlineData("{}", "machine_fingerprint")]
    [InlineData("{\"machine_fingerprint\":\"   \"}", "machine_fingerprint")]
    [InlineData("{\"machine_fingerprint\":\"short\"}", "machine_fingerprint")]
    [InlineData("{\"machine_fingerprint\":\"fp_0123456789\",\"platform\":\"beos\"}", "platform")]
    [InlineData("{\"machine_fingerprint\":\"fp_0123456789\",\"hostname\":\"a\\u0000b\"}", "hostname")]
    public async Task Bad_registrations_are_400s_naming_the_field(string json, string field)
    {
        var response = await stack.Http.PostAsync("/memory/api/v1/agents/auto-register",
            new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertError(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Malformed_json_and_a_bad_key_are_refused()
    {
        var malformed = await stack.Http.PostAsync("/memory/api/v1/agents/auto-register",
            new StringContent("{\"machine_fingerprint\": 42}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        using var stranger = stack.AsAgent("omx_not-a-real-key");
        var badKey = await stranger.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = MemoryClient.NewFingerprint() });
        await badKey.AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Registrations_past_the_hourly_limit_of_an_address_are_429_with_retry_after_and_register_nothing()
    {
        // The shared test API lifts this limit for every other test: a replica with the documented
        // rule, called from an address of its own, shows it.
        const int limit = 3;
        await using var api = await ExtraApi.Start(stack, new() { ["Memory:RegistrationsPerHourPerAddress"] = limit.ToString() });
        using var client = api.ClientFrom(ExtraApi.FreshLoopbackAddress());
        for (var i = 0; i < limit; i++)
            await (await client.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
                new { machine_fingerprint = MemoryClient.NewFingerprint(), platform = "linux" })).Data(HttpStatusCode.Created);
        var accountsBefore = await Accounts();

        var fingerprint = MemoryClient.NewFingerprint();
        var refused = await client.PostAsJsonAsync("/memory/api/v1/agents/auto-register", new { machine_fingerprint = fingerprint, platform = "linux" });

        var error = await refused.AssertError(HttpStatusCode.TooManyRequests);
        var retryAfter = (int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal($"Too many registrations from this address; try again in {retryAfter} seconds", error);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("remaining=0", refused.Headers.GetValues("RateLimit").Single());
        Assert.Equal($"{limit};w=3600", refused.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal(accountsBefore, await Accounts());
        // Nothing of the refused fingerprint was kept: its first registration, from another
        // address, is a 201 with a key, not the 200 of a machine seen before.
        var later = await stack.RegisterMachine(fingerprint);
        Assert.StartsWith("omx_", later.ApiKey);
        using var neighbour = api.ClientFrom(ExtraApi.FreshLoopbackAddress());
        await (await neighbour.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = MemoryClient.NewFingerprint(), platform = "linux" })).Data(HttpStatusCode.Created);

        // The window is an hour: once it has passed the address may register again.
        stack.Clock.Advance(TimeSpan.FromSeconds(retryAfter + 1));
        await (await client.PostAsJsonAsync("/memory/api/v1/agents/auto-register",
            new { machine_fingerprint = MemoryClient.NewFingerprint(), platform = "linux" })).Data(HttpStatusCode.Created);
    }

    async Task<(long Directory, long Grains)> Accounts() => (await stack.DirectoryRows(), await stack.GrainStates());

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
