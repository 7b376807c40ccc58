using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Actors.Grains.Email;
using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

/// <summary>
/// Delivers the webhook outbox, on every silo: claims due events (several silos share them, each
/// claim leased on the domain clock), sends each through a bounded pool of
/// <see cref="WebhookOptions.Workers"/> with at most <see cref="WebhookOptions.PerEndpointConcurrency"/>
/// in flight per endpoint (an endpoint at its limit is left out of the claim, so one slow receiver
/// never holds the others' workers), and keeps every attempt with the event's next due time.
/// A silo that dies mid-send leaves its leased events to whichever silo claims them once the lease
/// ran out: they leave again under the same webhook-id.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookDeliveryStore store,
    WebhookSender sender,
    IGrainFactory grains,
    EmailOutbox email,
    IHostApplicationLifetime lifetime,
    IOptions<WebhookOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    readonly ConcurrentDictionary<string, int> _inFlight = new();
    readonly ConcurrentDictionary<Task, bool> _sends = new();
    SemaphoreSlim? _workers;

    // Released when a send finishes: a loop that found every worker busy waits for this, not for the
    // poll interval (which would leave the pool idle for most of it: sends take milliseconds).
    readonly SemaphoreSlim _workerFreed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        _workers = new SemaphoreSlim(settings.Workers, settings.Workers);
        // Grain calls need the silo running: it starts after the hosted services registered before it.
        try { await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken); }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested) { }
        catch (OperationCanceledException) { return; }

        while (!stoppingToken.IsCancellationRequested)
        {
            if (_workers.CurrentCount == 0)
            {
                try { await _workerFreed.WaitAsync(stoppingToken); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            var claimedAny = false;
            try
            {
                claimedAny = await ClaimAndSend(settings, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Claiming due webhook deliveries failed; will retry");
            }
            catch (OperationCanceledException) { break; }
            if (claimedAny) continue;
            try { await Task.Delay(settings.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        // Sends in flight finish or are cut by the stopping token; what they did not record stays leased.
        await Task.WhenAll(_sends.Keys);
    }

    async Task<bool> ClaimAndSend(WebhookOptions settings, CancellationToken ct)
    {
        var free = _workers!.CurrentCount;
        if (free == 0) return false;
        var busy = _inFlight.Where(p => p.Value >= settings.PerEndpointConcurrency).Select(p => p.Key).ToArray();
        var claimed = await store.Claim(free, settings.PerEndpointConcurrency, busy, clock.GetUtcNow(), settings.Lease, ct);
        foreach (var e in claimed)
        {
            var count = _inFlight.AddOrUpdate(e.AgentId, 1, (_, n) => n + 1);
            if (count > settings.PerEndpointConcurrency || !_workers.Wait(0))
            {
                Done(e.AgentId, releaseWorker: false);
                await store.Release(e.EventId);
                continue;
            }
            var send = Task.Run(() => Deliver(e, ct), CancellationToken.None);
            _sends[send] = true;
            _ = send.ContinueWith(t => _sends.TryRemove(t, out _), TaskScheduler.Default);
        }
        return claimed.Count > 0;
    }

    async Task Deliver(ClaimedEvent e, CancellationToken ct)
    {
        try
        {
            var endpoint = grains.GetGrain<IWebhookEndpointGrain>(e.AgentId);
            if (await endpoint.Target() is not { } target)
            {
                await store.Settle(e.EventId, clock.GetUtcNow());
                return;
            }
            var now = clock.GetUtcNow();
            var outcome = await sender.Send(target, e.EventId, now, e.Body, ct);
            if (ct.IsCancellationRequested) return;   // stopping: the lease hands it to the next silo
            var attempt = e.Attempts + 1;
            var finished = clock.GetUtcNow();
            DateTimeOffset? next = outcome.Succeeded || outcome.StatusCode == 410 ? null
                : WebhookSchedule.After(attempt, outcome.RetryAfter, Random.Shared.NextDouble()) is { } wait ? finished + wait : null;
            await store.Record(e, attempt, target.Url, outcome, finished, next);
            if (await endpoint.Report(new WebhookAttemptReport(outcome.StatusCode, outcome.Succeeded)))
                await TellOwner(e.AgentId, target.Url);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Left leased: it is claimed again once the lease ran out.
            logger.LogWarning(ex, "Webhook delivery {WebhookId} failed before its attempt was kept", e.EventId);
        }
        catch (OperationCanceledException) { }
        finally
        {
            Done(e.AgentId, releaseWorker: true);
        }
    }

    void Done(string agentId, bool releaseWorker)
    {
        _inFlight.AddOrUpdate(agentId, 0, (_, n) => n - 1);
        _inFlight.TryRemove(new KeyValuePair<string, int>(agentId, 0));
        if (!releaseWorker) return;
        _workers!.Release();
        if (_workerFreed.CurrentCount == 0) _workerFreed.Release();
    }

    async Task TellOwner(string agentId, string url)
    {
        var profile = await grains.GetGrain<IAgentGrain>(agentId).GetProfile();
        if (profile?.OwnerEmail is not { } owner) return;
        await email.Enqueue(owner, $"Webhook of {profile.Name} disabled",
            $"""
            Every delivery to the webhook of your agent "{profile.Name}" failed for {options.Value.DisableAfterFailingFor.TotalDays:0.#} days:

            {url}

            Deliveries to it have stopped. Once the receiver works again, register the URL again
            (POST /market/api/agents/me/webhooks) to enable it.
            """);
    }
}
