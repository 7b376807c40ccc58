using System.Net;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The refusals the framework makes before any taskboard handler runs (malformed JSON, a body that
/// is not JSON, an unknown route) answer in the taskboard's envelope too: <c>success: false</c> and
/// <c>error</c>, as the handlers' own refusals do.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardErrorShapeTests(ActorsStack stack)
{
    [Theory]
    [InlineData("{\"agentId\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"agentId\": 12}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("agentId=openclaw", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_body_the_framework_refuses_answers_success_false(string body, string contentType, HttpStatusCode status)
    {
        using var http = new HttpClient { BaseAddress = stack.ApiUrl };
        var response = await http.PostAsync($"{TaskboardClient.Base}/agents/connect", new StringContent(body, Encoding.UTF8, contentType));
        var answer = await response.ReadJson();

        Assert.Equal(status, response.StatusCode);
        Assert.False(answer.GetProperty("success").GetBoolean(), answer.ToString());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task An_unknown_taskboard_route_answers_success_false_and_the_market_keeps_its_shape()
    {
        using var http = new HttpClient { BaseAddress = stack.ApiUrl };
        var unknown = await http.GetAsync($"{TaskboardClient.Base}/no-such-thing");
        var answer = await unknown.ReadJson();
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(answer.GetProperty("success").GetBoolean(), answer.ToString());

        var market = await (await http.GetAsync("/market/api/no-such-thing")).ReadJson();
        Assert.False(market.TryGetProperty("success", out _), market.ToString());
    }
}
