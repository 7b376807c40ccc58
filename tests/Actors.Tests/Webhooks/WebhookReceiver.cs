using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Actors.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Actors.Tests.Webhooks;

/// <summary>One request the receiver got, and which of the secrets it was given verified its signatures.</summary>
public sealed record ReceivedWebhook(string WebhookId, long Timestamp, IReadOnlyList<string> Signatures, string Body, IReadOnlyList<string> VerifiedWith)
{
    public string Event => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("event").GetString()!;
}

/// <summary>What the receiver answers to a request: a status, optional Retry-After, and a delay before answering.</summary>
public sealed record Answer(int Status, string? RetryAfter = null, TimeSpan Delay = default);

/// <summary>
/// An agent's webhook receiver on 127.0.0.1: a real Kestrel that verifies each delivery's Standard
/// Webhooks signatures itself (independently of the server's code) with the secrets it was given.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    readonly List<string> _secrets = [];

    public Uri Url { get; }

    /// <summary>Decides each answer (the n-th request is numbered from 1); 200 by default.</summary>
    public Func<int, ReceivedWebhook, Answer> Answers { get; set; } = (_, _) => new Answer(200);

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    int _inFlight;

    /// <summary>The most requests this receiver was answering at the same time.</summary>
    public int MaxInFlight { get; private set; }

    WebhookReceiver(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook", Receive);
    }

    public static async Task<WebhookReceiver> Start()
    {
        var receiver = new WebhookReceiver(FreePort.Next());
        await receiver._app.StartAsync();
        return receiver;
    }

    public void Trust(string secret) { lock (_secrets) _secrets.Add(secret); }

    async Task Receive(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = http.Request.Headers["webhook-id"].ToString();
        var timestamp = long.Parse(http.Request.Headers["webhook-timestamp"].ToString());
        var signatures = http.Request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] secrets;
        lock (_secrets) secrets = [.. _secrets];
        var verified = secrets.Where(s => signatures.Contains(Sign(s, id, timestamp, body))).ToList();
        var received = new ReceivedWebhook(id, timestamp, signatures, body, verified);
        _received.Enqueue(received);
        var answer = Answers(_received.Count, received);
        var now = Interlocked.Increment(ref _inFlight);
        lock (_secrets) MaxInFlight = Math.Max(MaxInFlight, now);
        try
        {
            if (answer.Delay > TimeSpan.Zero)
                try { await Task.Delay(answer.Delay, http.RequestAborted); } catch (OperationCanceledException) { return; }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        http.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null) http.Response.Headers.RetryAfter = answer.RetryAfter;
        await http.Response.WriteAsync("ok");
    }

    /// <summary>The Standard Webhooks signature, computed here from the spec (not with the server's code).</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    /// <summary>Waits (real time) until the receiver got <paramref name="count"/> requests.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitFor(int count, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (_received.Count < count && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(_received.Count >= count, $"expected {count} deliveries, got {_received.Count}");
        return Received;
    }

    /// <summary>Asserts that no more than <paramref name="count"/> requests arrive within <paramref name="milliseconds"/>.</summary>
    public async Task StaysAt(int count, int milliseconds = 1500)
    {
        await Task.Delay(milliseconds);
        Assert.Equal(count, _received.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
