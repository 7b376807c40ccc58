using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>A signed-in human on the taskboard: the session cookie and the client that sends it (JSON, this site's origin).</summary>
public sealed record TaskboardHuman(string Email, string UserId, string Cookie, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>A connected taskboard agent: its seed agentId, its atk_ key and the identity (agt_…) behind it.</summary>
public sealed record TaskboardAgent(string AgentId, string ApiKey, string IdentityId);

/// <summary>Seed-shaped calls of the taskboard (seed 004), as an owner, a client and an agent would make them.</summary>
public static class TaskboardClient
{
    public const string Base = "/taskboard/api";

    /// <summary>
    /// Signs a new human up by magic link over HTTP (what <c>/register/client</c> leads to) and answers
    /// their session: an HTTP client sending the cookie and this site's Origin, and their user id.
    /// </summary>
    public static async Task<TaskboardHuman> SignUpClient(this ActorsStack stack, string? email = null)
    {
        email ??= Unique.Email("client");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = stack.ApiUrl };
        var asked = await anonymous.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["signup"] = "1", ["returnUrl"] = "/taskboard/client",
        }));
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]!;
        var confirmed = await anonymous.PostAsync("/signin/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var cookie = confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal)).Split(';')[0];

        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = stack.ApiUrl };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        http.DefaultRequestHeaders.Add("Origin", stack.ApiUrl.GetLeftPart(UriPartial.Authority));
        var wallet = await (await http.GetAsync($"{Base}/client/wallet")).ReadJson();
        return new TaskboardHuman(email, wallet.GetProperty("wallet").GetProperty("userId").GetString()!, cookie, http);
    }

    /// <summary>The seed's register-token body for this owner.</summary>
    public static async Task<HttpResponseMessage> MintToken(this TaskboardHuman owner, string agentId, string[]? capabilities = null, string? ownerId = null, string? agentName = null) =>
        await owner.Http.PostAsJsonAsync($"{Base}/agents/register-token", new
        {
            ownerId = ownerId ?? owner.UserId, agentId, agentName = agentName ?? $"Agent {agentId}", capabilities = capabilities ?? ["CODING", "DEBUGGING"],
        });

    /// <summary>A token that must be minted (201); the token.</summary>
    public static async Task<string> MintedToken(this TaskboardHuman owner, string agentId, string[]? capabilities = null)
    {
        var response = await owner.MintToken(agentId, capabilities);
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("registrationToken").GetString()!;
    }

    /// <summary>The seed's connect, keyless, with any body.</summary>
    public static async Task<HttpResponseMessage> Connect(this ActorsStack stack, object body)
    {
        using var http = new HttpClient { BaseAddress = stack.ApiUrl };
        return await http.PostAsJsonAsync($"{Base}/agents/connect", body);
    }

    /// <summary>An owner mints a token and an agent connects with it (201); the agent.</summary>
    public static async Task<TaskboardAgent> ConnectAgent(this ActorsStack stack, TaskboardHuman owner, string? agentId = null,
        string[]? capabilities = null, string? endpoint = null)
    {
        agentId ??= Unique.Name("agent").ToLowerInvariant();
        capabilities ??= ["CODING", "DEBUGGING"];
        var token = await owner.MintedToken(agentId, capabilities);
        var response = await stack.Connect(new { registrationToken = token, agentId, agentName = $"Agent {agentId}", capabilities, endpoint });
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        var key = answer.GetProperty("connection").GetProperty("apiKey").GetString()!;
        using var me = stack.AsAgent(key);
        var profile = await (await me.GetAsync($"{Base}/agents/me")).ReadJson();
        Assert.True(profile.GetProperty("success").GetBoolean(), profile.ToString());
        return new TaskboardAgent(agentId, key, await stack.IdentityOf(key));
    }

    /// <summary>The agt_ identity an atk_ key acts for (the market's own profile answers it).</summary>
    public static async Task<string> IdentityOf(this ActorsStack stack, string apiKey)
    {
        using var agent = stack.AsAgent(apiKey);
        var me = await (await agent.GetAsync("/market/api/agents/me")).ReadJson();
        return me.TryGetProperty("agent", out var a) ? a.GetProperty("id").GetString()! : me.GetProperty("id").GetString()!;
    }

    /// <summary>Adds <paramref name="usdc"/> to the client's wallet through the sandbox checkout, as the dashboard does.</summary>
    public static async Task FundClient(this ActorsStack stack, TaskboardHuman client, decimal usdc)
    {
        var opened = await client.Http.PostAsJsonAsync($"{Base}/client/wallet/deposit/checkout", new { amount = usdc });
        var answer = await opened.ReadJson();
        Assert.True(opened.StatusCode == HttpStatusCode.Created, $"{(int)opened.StatusCode} {answer}");
        var url = new Uri(answer.GetProperty("checkout").GetProperty("url").GetString()!);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.ApiUrl };
        var paid = await browser.PostAsync(url.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    /// <summary>The client's wallet balance in cents.</summary>
    public static async Task<long> ClientBalance(this TaskboardHuman client) =>
        (await (await client.Http.GetAsync($"{Base}/client/wallet")).ReadJson()).GetProperty("wallet").GetProperty("balanceCents").GetInt64();

    public static object TaskBody(decimal reward = 100m, string[]? skills = null, string? title = null, int? deadline = null) => new
    {
        title = title ?? Unique.Name("Fix Socket.io Connection"),
        description = "The client drops its connection after 30 seconds; find out why and fix it.",
        skills = skills ?? ["CODING", "DEBUGGING"],
        reward = new { amount = reward, token = "USDC" },
        deadline,
    };

    public static async Task<HttpResponseMessage> PostTask(this TaskboardHuman client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/tasks") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.Http.SendAsync(request);
    }

    /// <summary>A task that must be posted (201); its <c>task</c>.</summary>
    public static async Task<JsonElement> PostedTask(this TaskboardHuman client, decimal reward = 100m, string[]? skills = null, int? deadline = null)
    {
        var response = await client.PostTask(TaskBody(reward, skills, deadline: deadline));
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("task");
    }

    /// <summary>The seed's poll: <c>GET /api/tasks</c> with the query given, keyless unless a key is given.</summary>
    public static async Task<HttpResponseMessage> Poll(this ActorsStack stack, string query, string? apiKey = null)
    {
        using var http = apiKey is null ? new HttpClient { BaseAddress = stack.ApiUrl } : stack.AsAgent(apiKey);
        return await http.GetAsync($"{Base}/tasks{query}");
    }

    public static async Task<HttpResponseMessage> Claim(this ActorsStack stack, string taskId, string apiKey, string agentId)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PostAsJsonAsync($"{Base}/tasks/{taskId}/claim", new { agentId });
    }

    public static async Task<HttpResponseMessage> Deliver(this ActorsStack stack, string taskId, string apiKey, string agentId, string summary = "Fixed the race in the connection handler")
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PostAsJsonAsync($"{Base}/tasks/{taskId}/deliver", new
        {
            agentId,
            result = new { url = "https://github.com/openclaw/pr/pull/123", summary, code = "socket.on('close', reconnect);" },
            metadata = new { duration = 3600, modelUsed = "Claude Sonnet 4.5", cost = 0.5 },
        });
    }

    /// <summary>approve, request-revision, reject or cancel, with an optional body.</summary>
    public static async Task<HttpResponseMessage> Review(this TaskboardHuman client, string taskId, string action, object? body = null) =>
        await client.Http.PostAsJsonAsync($"{Base}/tasks/{taskId}/{action}", body ?? new { });

    public static async Task<JsonElement> GetTask(this ActorsStack stack, string taskId, string? apiKey = null, TaskboardHuman? client = null)
    {
        var response = client is not null ? await client.Http.GetAsync($"{Base}/tasks/{taskId}")
            : apiKey is not null ? await stack.AsAgent(apiKey).GetAsync($"{Base}/tasks/{taskId}")
            : await new HttpClient { BaseAddress = stack.ApiUrl }.GetAsync($"{Base}/tasks/{taskId}");
        var answer = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {answer}");
        return answer.GetProperty("task");
    }
}
