using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

/// <summary>
/// Sends one signed delivery (Standard Webhooks headers, the body exactly as stored) through the
/// <see cref="SsrfGuard"/>'s handler: no redirect followed, the target's addresses checked at
/// connect time. Success is a 2xx within the timeout; the answer's body is read back at most 64 kB.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const int MaxResponseBytes = 64 * 1024;

    readonly HttpClient _http;
    readonly TimeSpan _timeout;

    public WebhookSender(SsrfGuard guard, IOptions<WebhookOptions> options)
    {
        _timeout = options.Value.Timeout;
        _http = new HttpClient(guard.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Actors-Webhooks", "1.0"));
    }

    public async Task<AttemptOutcome> Send(
        WebhookTarget target, string webhookId, DateTimeOffset now, string body, CancellationToken ct, TimeSpan? timeoutOverride = null)
    {
        var limit = timeoutOverride ?? _timeout;
        var timestamp = now.ToUnixTimeSeconds();
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigning.Header(target.Secrets, webhookId, timestamp, body));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await Drain(response, timeout.Token);
            var code = (int)response.StatusCode;
            var ok = code is >= 200 and < 300;
            return new AttemptOutcome(code, ok, ok ? null : $"the receiver answered {code}", Stopwatch.GetElapsedTime(started),
                code is 429 or 503 ? RetryAfter(response, now) : null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failure($"no answer within {limit.TotalSeconds:0} s", started);
        }
        catch (HttpRequestException e)
        {
            return Failure(e.InnerException is SsrfRefusedException refused ? "refused: " + refused.Message : e.Message, started);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // An unusable URL (a scheme the handler does not speak) or a connection cut while reading the answer.
            return Failure(e.Message, started);
        }
    }

    static AttemptOutcome Failure(string error, long started) =>
        new(null, false, error, Stopwatch.GetElapsedTime(started), null);

    static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => WebhookSchedule.RetryAfter(((long)delta.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), now),
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Reads the answer so the connection can be reused, but never more than 64 kB of it.</summary>
    static async Task Drain(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[8192];
        var total = 0;
        int read;
        while (total < MaxResponseBytes && (read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, MaxResponseBytes - total)), ct)) > 0)
            total += read;
    }

    public void Dispose() => _http.Dispose();
}
