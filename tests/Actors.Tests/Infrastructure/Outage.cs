using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>What the outage tests check of a call while the database is away, and after it is back.</summary>
public static class Outage
{
    /// <summary>A 503 with a positive <c>Retry-After</c> (never a 500; a 500 fails with the error the stack logged for it).</summary>
    public static async Task AssertUnavailable(ActorsStack stack, string call, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var logged = response.StatusCode == HttpStatusCode.InternalServerError
            ? string.Join("\n", LogCapture.Of(stack).Lines().Where(l => l.Contains("Unhandled error", StringComparison.Ordinal) || l.Contains(" failed; the activation is dropped", StringComparison.Ordinal)).TakeLast(3).Select(l => l.Length > 1500 ? l[..1500] : l))
            : "";
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call}: expected 503, got {(int)response.StatusCode} {body}\n{logged}");
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{call}: 503 without Retry-After");
    }

    /// <summary>The call's answer once the database is back (503s waited out, up to 60 s); any other failure fails the test.</summary>
    public static async Task<JsonElement> Eventually(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        while ((response = await call()).StatusCode == HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(500);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} after the outage, got {(int)response.StatusCode} {body}");
        return body;
    }
}
