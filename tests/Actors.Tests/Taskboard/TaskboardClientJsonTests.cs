using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Taskboard;

/// <summary>
/// The client's JSON calls ride on the signed-in session, so each one refuses what a cross-site page
/// could send: no session is 401, a foreign Origin 403, a body that is not application/json 415 —
/// all in the taskboard's error shape, all before anything runs, nothing written.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskboardClientJsonTests(ActorsStack stack)
{
    const string Api = "/taskboard/api";
    const string SomeTask = "task_0000000000000000000000";

    /// <summary>Every route that takes the client's session, with a body it would accept.</summary>
    public static TheoryData<string, string> SessionRoutes => new()
    {
        { "POST", $"{Api}/agents/register-token" },
        { "POST", $"{Api}/tasks" },
        { "POST", $"{Api}/tasks/{SomeTask}/approve" },
        { "POST", $"{Api}/tasks/{SomeTask}/request-revision" },
        { "POST", $"{Api}/tasks/{SomeTask}/reject" },
        { "POST", $"{Api}/tasks/{SomeTask}/cancel" },
        { "POST", $"{Api}/client/wallet/deposit/checkout" },
        { "GET", $"{Api}/client/wallet" },
        { "GET", $"{Api}/client/tasks" },
        { "GET", $"{Api}/client/agents" },
    };

    public static TheoryData<string> UnsafeSessionRoutes => new(SessionRoutes.Where(r => (string)r[0] == "POST").Select(r => (string)r[1]));

    static object BodyFor(string path) => path switch
    {
        _ when path.EndsWith("/register-token", StringComparison.Ordinal) =>
            new { ownerId = "usr_someone", agentId = "json-rules", agentName = "JSON rules", capabilities = new[] { "CODING" } },
        _ when path.EndsWith("/checkout", StringComparison.Ordinal) => new { amount = 10 },
        _ when path.EndsWith("/request-revision", StringComparison.Ordinal) => new { feedback = "Please add tests" },
        _ when path.EndsWith("/reject", StringComparison.Ordinal) => new { reason = "Not what was asked" },
        _ when path == $"{Api}/tasks" => TaskboardClient.TaskBody(reward: 1m),
        _ => new { },
    };

    [Theory]
    [MemberData(nameof(SessionRoutes))]
    public async Task Without_a_session_a_client_call_is_401_and_writes_nothing(string method, string path)
    {
        using var anonymous = stack.SignedOut();
        anonymous.DefaultRequestHeaders.Add("Origin", Own);
        var before = await stack.TaskboardWrites();

        var response = method == "GET" ? await anonymous.GetAsync(path) : await anonymous.PostAsJsonAsync(path, BodyFor(path));

        await AssertRefused(response, HttpStatusCode.Unauthorized, "Sign in");
        Assert.Equal(before, await stack.TaskboardWrites());
    }

    [Theory]
    [MemberData(nameof(SessionRoutes))]
    public async Task A_session_that_ended_is_401_too(string method, string path)
    {
        using var client = await stack.SignUpClient();
        using var ended = stack.SignedOut();
        ended.DefaultRequestHeaders.Add("Cookie", "actors_session=not-a-session-we-issued");
        ended.DefaultRequestHeaders.Add("Origin", Own);
        var before = await stack.WrittenFor(client.UserId);

        var response = method == "GET" ? await ended.GetAsync(path) : await ended.PostAsJsonAsync(path, BodyFor(path));

        await AssertRefused(response, HttpStatusCode.Unauthorized, "sign in");
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
    }

    [Theory]
    [MemberData(nameof(UnsafeSessionRoutes))]
    public async Task A_client_call_from_another_origin_is_403_and_writes_nothing(string path)
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 50m);
        var before = await stack.WrittenFor(client.UserId);
        var boardBefore = await stack.TaskboardWrites();

        foreach (var (origin, referer) in new[] { ("https://evil.example", (string?)null), ("null", null), (null, "https://evil.example/page") })
        {
            using var bare = stack.SignedOut();
            bare.DefaultRequestHeaders.Add("Cookie", client.Cookie);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(BodyFor(path)) };
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (referer is not null) request.Headers.TryAddWithoutValidation("Referer", referer);

            await AssertRefused(await bare.SendAsync(request), HttpStatusCode.Forbidden, "this site");
        }
        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal(boardBefore, await stack.TaskboardWrites());
    }

    [Theory]
    [MemberData(nameof(UnsafeSessionRoutes))]
    public async Task A_client_call_that_is_not_JSON_is_415_and_writes_nothing(string path)
    {
        using var client = await stack.SignUpClient();
        await stack.FundClient(client, 50m);
        var before = await stack.WrittenFor(client.UserId);
        var boardBefore = await stack.TaskboardWrites();
        var json = System.Text.Json.JsonSerializer.Serialize(BodyFor(path), System.Text.Json.JsonSerializerOptions.Web);

        HttpContent[] bodies =
        [
            new FormUrlEncodedContent(new Dictionary<string, string> { ["amount"] = "10", ["title"] = "form" }),
            new StringContent(json, Encoding.UTF8, "text/plain"),
            new MultipartFormDataContent { { new StringContent("10"), "amount" } },
        ];
        foreach (var body in bodies)
            await AssertRefused(await client.Http.PostAsync(path, body), HttpStatusCode.UnsupportedMediaType, "application/json");

        Assert.Equal(before, await stack.WrittenFor(client.UserId));
        Assert.Equal(boardBefore, await stack.TaskboardWrites());
    }

    [Fact]
    public async Task The_same_session_from_this_sites_own_pages_is_let_through()
    {
        using var client = await stack.SignUpClient();

        // client.Http sends our own Origin: the GETs and a checkout pass the session rules.
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"{Api}/client/wallet")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"{Api}/client/wallet/deposit/checkout", new { amount = 1 })).StatusCode);
        using var noOrigin = stack.SignedOut();
        noOrigin.DefaultRequestHeaders.Add("Cookie", client.Cookie);
        Assert.Equal(HttpStatusCode.Created, (await noOrigin.PostAsJsonAsync($"{Api}/client/wallet/deposit/checkout", new { amount = 1 })).StatusCode);
    }

    string Own => stack.ApiUrl.GetLeftPart(UriPartial.Authority);

    static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string says)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        var body = System.Text.Json.JsonDocument.Parse(text).RootElement;
        // A body the JSON binder cannot read at all (text/plain, multipart) is refused by the shared
        // error handling before the endpoint's filters run: problem details with the same "error".
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Contains(says, body.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
