using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

[Collection(StackCollection.Name)]
public sealed class DiscoveryTests(ActorsStack stack)
{
    static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Fact]
    public async Task HEAD_on_registered_content_answers_the_discovery_headers()
    {
        var article = await stack.NewArticle(tier: 3);

        var response = await stack.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, article.Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("enabled", Header(response, "X-AgentThreshold"));
        Assert.Equal("1", Header(response, "X-AgentThreshold-Version"));
        Assert.Equal(article.Domain, Header(response, "X-AgentThreshold-Domain"));
        Assert.Equal(article.ContentId, Header(response, "X-AgentThreshold-Content-Id"));
        Assert.Equal("3", Header(response, "X-AgentThreshold-Tier"));
        Assert.True(Guid.TryParse(Header(response, "X-AgentThreshold-License-Id"), out _));
        Assert.Equal("require_payment", Header(response, "X-AgentThreshold-Access-Mode"));
    }

    [Fact]
    public async Task Unregistered_content_is_not_enabled()
    {
        var article = await stack.NewArticle();

        var otherPath = await stack.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/access/publishers/{article.Domain}/not/registered"));
        var otherDomain = await stack.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/access/publishers/unknown.example{article.Path}"));

        Assert.Equal(HttpStatusCode.NotFound, otherPath.StatusCode);
        Assert.False(otherPath.Headers.Contains("X-AgentThreshold"));
        Assert.False(otherDomain.Headers.Contains("X-AgentThreshold"));
    }

    [Fact]
    public async Task Discovery_is_free_and_unlimited()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 20);
        var article = await stack.NewArticle();

        for (var i = 0; i < 120; i++)
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, article.Url);
            head.Headers.Authorization = subscriber.Http.DefaultRequestHeaders.Authorization;
            Assert.Equal(HttpStatusCode.OK, (await stack.Http.SendAsync(head)).StatusCode);
        }

        Assert.Equal(20, await subscriber.RemainingCredits());
    }
}
