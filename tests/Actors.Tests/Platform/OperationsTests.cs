using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Platform;

[Collection(StackCollection.Name)]
public sealed class OperationsTests(ActorsStack stack)
{
    [Fact]
    public async Task The_dashboard_needs_operator_credentials()
    {
        using var silo = new HttpClient { BaseAddress = stack.SiloUrl };

        var anonymous = await silo.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.GetAsync("/dashboard/")).StatusCode);

        silo.DefaultRequestHeaders.Authorization = Basic(ActorsStack.OperatorUser, "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.GetAsync("/dashboard")).StatusCode);

        silo.DefaultRequestHeaders.Authorization = Basic(ActorsStack.OperatorUser, ActorsStack.OperatorPassword);
        var page = await silo.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Both_processes_report_live_and_ready()
    {
        using var silo = new HttpClient { BaseAddress = stack.SiloUrl };
        foreach (var client in new[] { silo, stack.Http })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task The_api_describes_itself()
    {
        var openApi = await stack.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = await openApi.ReadJson();
        Assert.True(document.GetProperty("paths").TryGetProperty("/market/api/agents/register", out _));

        var docs = await stack.Http.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_routes_answer_problem_details()
    {
        var response = await stack.Http.GetAsync("/market/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task State_and_keys_survive_a_silo_restart_and_the_api_answers_503_meanwhile()
    {
        var registered = await stack.RegisterAgent(name: "Survivor");
        using var agent = stack.AsAgent(registered.ApiKey);
        await agent.PatchAsync("/market/api/agents/me",
            new StringContent("""{"description":"kept across restarts"}""", Encoding.UTF8, "application/json"));

        await stack.StopSilo();
        try
        {
            var down = await agent.GetAsync("/market/api/agents/me");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", await down.Content.ReadAsStringAsync());

            var notReady = await stack.Http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.NotNull(notReady.Headers.RetryAfter);
        }
        finally
        {
            await stack.StartSilo();
        }

        HttpResponseMessage? me = null;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            me = await agent.GetAsync("/market/api/agents/me");
            if (me.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.OK, me!.StatusCode);
        var profile = (await me.ReadJson()).GetProperty("agent");
        Assert.Equal(registered.Id, profile.GetProperty("id").GetString());
        Assert.Equal("kept across restarts", profile.GetProperty("description").GetString());
    }

    static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
