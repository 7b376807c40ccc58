using System.Net;
using System.Text.Json;
using System.Web;
using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

/// <summary>
/// The seed's taskboard calls (under /taskboard/api). Agents send their atk_ key as a bearer
/// (<see cref="Agents"/>); the client's calls go through <see cref="Client"/>, an HTTP client that
/// sends the human's session cookie and this site's Origin (the session JSON calls require both).
/// </summary>
public sealed class TaskboardApi(MarketApi agents, MarketApi client, bool idempotencyKeys)
{
    public const string Base = "/taskboard/api";

    public MarketApi Agents { get; } = agents;
    public MarketApi Client { get; } = client;

    public Task<Answer> MintToken(string ownerId, string handle, IReadOnlyList<string> capabilities) =>
        Client.Send(HttpMethod.Post, $"{Base}/agents/register-token", null,
            new { ownerId, agentId = handle, agentName = $"Bench agent {handle}", capabilities }, read: true, keyed: false);

    public Task<Answer> Connect(string token, string handle, IReadOnlyList<string> capabilities) =>
        Agents.Send(HttpMethod.Post, $"{Base}/agents/connect", null,
            new { registrationToken = token, agentId = handle, agentName = $"Bench agent {handle}", capabilities }, read: true, keyed: false);

    public Task<Answer> Me(string apiKey) => Agents.Send(HttpMethod.Get, $"{Base}/agents/me", apiKey, null, read: true, keyed: false);

    public Task<Answer> Wallet() => Client.Send(HttpMethod.Get, $"{Base}/client/wallet", null, null, read: true, keyed: false);

    public Task<Answer> DepositCheckout(decimal usdc) =>
        Client.Send(HttpMethod.Post, $"{Base}/client/wallet/deposit/checkout", null, new { amount = usdc }, read: true, keyed: true);

    public Task<Answer> PostTask(string title, IReadOnlyList<string> skills, decimal rewardUsdc) =>
        Client.Send(HttpMethod.Post, $"{Base}/tasks", null, new
        {
            title,
            description = "A taskboard benchmark task: deliver anything.",
            skills,
            reward = new { amount = rewardUsdc, token = "USDC" },
        }, read: true, keyed: idempotencyKeys);

    /// <summary>The seed's poll, with the agent's key; the body is parsed only when asked (the generator's CPU counts too).</summary>
    public Task<Answer> Poll(string apiKey, string handle, bool read = false) =>
        Agents.Send(HttpMethod.Get, $"{Base}/tasks?agentId={handle}&status=OPEN&limit=10", apiKey, null, read, keyed: false);

    /// <summary>Diagnosis: the poll without a key (the seed's curl), by agentId or, with <paramref name="handle"/> null, by skills only.</summary>
    public Task<Answer> PollKeyless(string? handle, string skills) =>
        Agents.Send(HttpMethod.Get, handle is null ? $"{Base}/tasks?skills={skills}&status=OPEN&limit=10" : $"{Base}/tasks?agentId={handle}&status=OPEN&limit=10",
            null, null, read: false, keyed: false);

    /// <summary>One task, keyless: a grain read, no SQL.</summary>
    public Task<Answer> ReadTask(string taskId, bool read = false) =>
        Agents.Send(HttpMethod.Get, $"{Base}/tasks/{taskId}", null, null, read, keyed: false);

    public Task<Answer> Claim(string apiKey, string handle, string taskId) =>
        Agents.Send(HttpMethod.Post, $"{Base}/tasks/{taskId}/claim", apiKey, new { agentId = handle }, read: false, keyed: false);

    public Task<Answer> Deliver(string apiKey, string handle, string taskId) =>
        Agents.Send(HttpMethod.Post, $"{Base}/tasks/{taskId}/deliver", apiKey, new
        {
            agentId = handle,
            result = new { url = "https://example.com/bench/pull/1", summary = "Delivered by the taskboard benchmark", code = "return 42;" },
            metadata = new { duration = 1, modelUsed = "bench" },
        }, read: false, keyed: false);

    /// <summary>Approve: the answer's <c>task.agentEarned</c> is what the claimant was paid.</summary>
    public Task<Answer> Approve(string taskId) =>
        Client.Send(HttpMethod.Post, $"{Base}/tasks/{taskId}/approve", null, new { }, read: true, keyed: idempotencyKeys);
}

/// <summary>A signed-in human: the session cookie, and their user id (usr_…).</summary>
public sealed record ClientSession(string Email, string Cookie, string UserId);

/// <summary>Sign-up by magic link over HTTP, as a human would: the link arrives in the stack's mail drop folder.</summary>
public static class SignUp
{
    public static async Task<string> SessionCookie(Uri url, string mailDrop, string email)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url };
        var asked = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["signup"] = "1", ["returnUrl"] = "/taskboard/client",
        }));
        if (asked.StatusCode != HttpStatusCode.OK) throw new SetupFailed($"POST /signin: {(int)asked.StatusCode}");
        var link = await WaitForLink(mailDrop, email, TimeSpan.FromSeconds(30));
        var token = HttpUtility.ParseQueryString(new Uri(link).Query)["token"] ?? throw new SetupFailed($"no token in {link}");
        var confirmed = await http.PostAsync("/signin/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        if (confirmed.StatusCode != HttpStatusCode.Redirect) throw new SetupFailed($"POST /signin/confirm: {(int)confirmed.StatusCode}");
        return confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>The sign-in link (the line with <c>/signin/confirm?</c>) of the email to <paramref name="email"/>.</summary>
    static async Task<string> WaitForLink(string folder, string email, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(folder))
                foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (!text.Contains($"To: <{email}>", StringComparison.OrdinalIgnoreCase)) continue;
                    var line = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("http", StringComparison.Ordinal) && l.Contains("/signin/confirm?", StringComparison.Ordinal));
                    if (line is not null) return line.Trim();
                }
            await Task.Delay(100);
        }
        throw new SetupFailed($"no sign-in email to {email} arrived in {folder} within {timeout.TotalSeconds:0} s");
    }
}

public sealed class SetupFailed(string message) : Exception(message);

static class Answers
{
    /// <summary>The number at a dotted path, or null.</summary>
    public static decimal? Num(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e)) return null;
        return e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : null;
    }
}
