using System.Net;
using System.Net.Http.Headers;
using Actors.Grains.Identity;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Identity;

[Collection(StackCollection.Name)]
public sealed class AgentAuthenticationTests(ActorsStack stack)
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer toku_agent_0000000000000000000000000000000000000000")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Me_without_a_valid_key_is_401(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/market/api/agents/me");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.False(string.IsNullOrEmpty((await response.ReadJson()).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_key_is_stored_only_as_its_hash()
    {
        var registered = await stack.RegisterAgent();

        Assert.Equal(0L, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE position(@secret in convert_from(payload, 'UTF8')) > 0",
            ("secret", registered.ApiKey["toku_agent_".Length..])))!);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_within_seconds()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/market/api/agents/me")).StatusCode);

        var grains = stack.SiloServices.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(registered.ApiKey)).Revoke();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            status = (await agent.GetAsync("/market/api/agents/me")).StatusCode;
            if (status == HttpStatusCode.Unauthorized) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task One_agent_cannot_see_another_agents_profile_through_its_own_key()
    {
        var alice = await stack.RegisterAgent();
        var bob = await stack.RegisterAgent();
        using var client = stack.AsAgent(bob.ApiKey);

        var me = (await (await client.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");

        Assert.Equal(bob.Id, me.GetProperty("id").GetString());
        Assert.NotEqual(alice.Id, me.GetProperty("id").GetString());
    }
}
