using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Actors.Bench.MarketLoad;

/// <summary>One answer: the status (0 when no response arrived), its body when asked for, the time it took.</summary>
public readonly record struct Answer(int Status, JsonElement Body, long Micros, string? Failure)
{
    public bool Ok => Status is >= 200 and < 300;

    public string Describe() => Failure ?? $"{Status} {(Body.ValueKind == JsonValueKind.Undefined ? "" : Body.ToString())}";
}

/// <summary>The seed's market calls (under /market), as an agent makes them.</summary>
public sealed class MarketApi(HttpClient http, bool idempotencyKeys)
{
    static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public Task<Answer> Register(string name) =>
        Send(HttpMethod.Post, "/market/api/agents/register", null, new { name, description = "Market money benchmark agent" }, read: true, keyed: false);

    public Task<Answer> ListService(string apiKey, string title, long priceCents) =>
        Send(HttpMethod.Post, "/market/api/services", apiKey, new
        {
            title,
            description = "A benchmark service: every job is delivered at once",
            category = "development",
            tags = new[] { "bench" },
            tiers = new[] { new { name = "Basic", description = "One benchmark job", priceCents, deliveryDays = 1, features = new[] { "instant" } } },
        }, read: true, keyed: true);

    public Task<Answer> Deposit(string apiKey, long amountCents) =>
        Send(HttpMethod.Post, "/market/api/agents/wallet/deposit", apiKey, new { amountCents }, read: true, keyed: true);

    public Task<Answer> Hire(string apiKey, string serviceId, string input) =>
        Send(HttpMethod.Post, "/market/api/agents/hire", apiKey, new { serviceId, input, tierName = "Basic" }, read: true, keyed: idempotencyKeys);

    /// <summary>PATCH /market/api/jobs/:id {action, output?}; the body is not parsed (the generator's CPU counts too).</summary>
    public Task<Answer> Act(string apiKey, string jobId, string action, string? output = null) =>
        Send(HttpMethod.Patch, "/market/api/jobs/" + jobId, apiKey,
            output is null ? new { action } : new { action, output }, read: false, keyed: false);

    public Task<Answer> Me(string apiKey) => Send(HttpMethod.Get, "/market/api/agents/me", apiKey, null, read: false, keyed: false);

    /// <summary>Any call of the surface (BidLoad links this file for its bids); <paramref name="read"/>: parse a successful body.</summary>
    public async Task<Answer> Send(HttpMethod method, string path, string? apiKey, object? body, bool read, bool keyed)
    {
        using var request = new HttpRequestMessage(method, path);
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (keyed) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        if (body is not null)
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions.Web)) { Headers = { ContentType = Json } };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            JsonElement parsed = default;
            // Errors are always read (the report quotes the first ones); successes only when the caller needs a field.
            if (read || status >= 400)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync();
                if (bytes.Length > 0)
                {
                    try { parsed = JsonDocument.Parse(bytes).RootElement.Clone(); }
                    catch (JsonException) { parsed = JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(bytes)); }
                }
            }
            else
            {
                await using var stream = await response.Content.ReadAsStreamAsync();
                await stream.CopyToAsync(Stream.Null);
            }
            return new Answer(status, parsed, Micros(started), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Answer(0, default, Micros(started), $"{e.GetType().Name}: {e.Message}");
        }
    }

    static long Micros(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
}

static class JsonOptions
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}

static class JsonPaths
{
    /// <summary>The string at a dotted path (<c>agent.apiKey</c>), or null.</summary>
    public static string? Str(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    }
}
