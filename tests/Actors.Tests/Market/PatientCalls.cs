using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// One definitive answer to a request, after waiting out the outage answers (503, no response,
/// an Idempotency-Key still in progress). <see cref="Ambiguous"/>: an earlier attempt may have
/// been applied without its answer arriving, so a refusal now can mean "already done".
/// </summary>
public sealed record Reply(HttpStatusCode Status, JsonElement Body, bool Ambiguous, string Request)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public override string ToString() => $"{Request} → {(int)Status} {Body}";
}

/// <summary>
/// A client that sends each request until it gets an answer that is not an outage, the way a
/// careful agent does while a silo restarts: money-moving POSTs keep their Idempotency-Key
/// across attempts, so a retry never applies twice. Every 5xx other than a 503 with
/// Retry-After is kept in <see cref="ServerErrors"/> (the test fails on any).
/// </summary>
public sealed class PatientCalls(ActorsStack stack)
{
    static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(45);

    public ConcurrentQueue<string> ServerErrors { get; } = new();
    int _unavailable;

    /// <summary>How many 503s (or lost answers) were waited out.</summary>
    public int Unavailable => _unavailable;

    public Task<Reply> Post(HttpClient client, string path, object body, string? idempotencyKey) =>
        Send(client, $"POST {path} {JsonSerializer.Serialize(body)}", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        });

    public Task<Reply> Patch(HttpClient client, string path, object body) =>
        Send(client, $"PATCH {path} {JsonSerializer.Serialize(body)}", () => new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) });

    public Task<Reply> Get(HttpClient client, string path) =>
        Send(client, $"GET {path}", () => new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>
    /// Opens a page of the sandbox provider (checkout, payout onboarding) and sends its form as a
    /// browser would: its hidden fields, from this site's own Origin. Answers the final page.
    /// </summary>
    public async Task<Reply> SubmitPageForm(string pageUrl)
    {
        using var browser = new HttpClient { BaseAddress = stack.ApiUrl, Timeout = TimeSpan.FromSeconds(20) };
        var pageUri = Uri.TryCreate(pageUrl, UriKind.Absolute, out var absolute) ? absolute : new Uri(stack.ApiUrl, pageUrl);
        var page = await Send(browser, $"GET {pageUrl}", () => new HttpRequestMessage(HttpMethod.Get, pageUri));
        if (!page.Ok) return page;
        var html = page.Body.ValueKind == JsonValueKind.String ? page.Body.GetString()! : page.Body.ToString();
        var form = PostForm(html) ?? throw new InvalidOperationException($"no form to post on {pageUrl}: {html}");
        var origin = stack.ApiUrl.GetLeftPart(UriPartial.Authority);
        return await Send(browser, $"POST {form.Action} (form of {pageUrl})", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pageUri, form.Action))
            {
                Content = new FormUrlEncodedContent(form.Fields),
            };
            request.Headers.Add("Origin", origin);
            return request;
        });
    }

    async Task<Reply> Send(HttpClient client, string what, Func<HttpRequestMessage> request)
    {
        var ambiguous = false;
        var giveUpAt = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            HttpResponseMessage? response = null;
            var text = "";
            try
            {
                using var message = request();
                response = await client.SendAsync(message);
                text = await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // No answer at all: the request may or may not have been applied.
                Interlocked.Increment(ref _unavailable);
                ambiguous = true;
            }
            if (response is not null)
            {
                var status = (int)response.StatusCode;
                var body = Parse(text, response.Content.Headers.ContentType?.MediaType);
                if (status == 503)
                {
                    Interlocked.Increment(ref _unavailable);
                    ambiguous = true;
                    if (response.Headers.RetryAfter is null) ServerErrors.Enqueue($"{what} → 503 without Retry-After: {text}");
                }
                else if (status >= 500)
                {
                    ServerErrors.Enqueue($"{what} → {status} {text}");
                    return new Reply(response.StatusCode, body, ambiguous, what);
                }
                else if (status == 409 && text.Contains("Idempotency-Key", StringComparison.Ordinal))
                {
                    ambiguous = true; // the first attempt is still running (or was, when the silo stopped)
                }
                else if (status != 429)
                {
                    return new Reply(response.StatusCode, body, ambiguous, what);
                }
                response.Dispose();
            }
            if (DateTime.UtcNow > giveUpAt) throw new TimeoutException($"{what}: no definitive answer in {GiveUpAfter.TotalSeconds} s");
            await Task.Delay(150);
        }
    }

    static JsonElement Parse(string text, string? mediaType)
    {
        if (text.Length == 0) return default;
        if (mediaType is not null && mediaType.Contains("json", StringComparison.Ordinal))
        {
            try { return JsonDocument.Parse(text).RootElement.Clone(); }
            catch (JsonException) { }
        }
        return JsonSerializer.SerializeToElement(text);
    }

    sealed record Form(string Action, Dictionary<string, string> Fields);

    /// <summary>The page's first POST form other than sign-out: its action and the fields a browser would send.</summary>
    static Form? PostForm(string html)
    {
        foreach (Match form in Regex.Matches(html, "<form\\b([^>]*)>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase))
        {
            var attributes = Attributes(form.Groups[1].Value);
            if (!string.Equals(attributes.GetValueOrDefault("method"), "post", StringComparison.OrdinalIgnoreCase)) continue;
            if (attributes.GetValueOrDefault("action") is not { } action || action == "/signout") continue;
            var fields = new Dictionary<string, string>();
            foreach (Match input in Regex.Matches(form.Groups[2].Value, "<input\\b([^>]*)>", RegexOptions.IgnoreCase))
            {
                var a = Attributes(input.Groups[1].Value);
                if (a.GetValueOrDefault("name") is { } name) fields[name] = a.GetValueOrDefault("value") ?? "";
            }
            // A select sends its selected option, or its first (what a browser sends untouched).
            foreach (Match select in Regex.Matches(form.Groups[2].Value, "<select\\b([^>]*)>(.*?)</select>", RegexOptions.Singleline | RegexOptions.IgnoreCase))
            {
                var options = Regex.Matches(select.Groups[2].Value, "<option\\b([^>]*)>", RegexOptions.IgnoreCase).Select(o => o.Groups[1].Value).ToList();
                var chosen = options.FirstOrDefault(o => Regex.IsMatch(o, "\\bselected\\b")) ?? options.FirstOrDefault();
                if (Attributes(select.Groups[1].Value).GetValueOrDefault("name") is { } name && chosen is not null)
                    fields[name] = Attributes(chosen).GetValueOrDefault("value") ?? "";
            }
            return new Form(action, fields);
        }
        return null;
    }

    static Dictionary<string, string> Attributes(string tag) =>
        Regex.Matches(tag, "([a-zA-Z-]+)=\"([^\"]*)\"").ToDictionary(
            m => m.Groups[1].Value.ToLowerInvariant(), m => WebUtility.HtmlDecode(m.Groups[2].Value));
}
