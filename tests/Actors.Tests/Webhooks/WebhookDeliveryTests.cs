using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Webhooks;

/// <summary>
/// Issue 14, Webhooks: every event reaches the agent's receiver signed as Standard Webhooks
/// specifies, retried on the schedule under the same webhook-id, and survives a silo that dies.
/// The receiver verifies each signature itself with the secret it was given.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WebhookDeliveryTests(ActorsStack stack)
{
    static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    async Task<(HttpClient Agent, string Id)> NewAgent(string? ownerEmail = null)
    {
        var registered = await stack.RegisterAgent(ownerEmail: ownerEmail);
        return (stack.AsAgent(registered.ApiKey), registered.Id);
    }

    /// <summary>The agent's attempts once <paramref name="count"/> of them are kept, newest first.</summary>
    static async Task<JsonElement[]> Attempts(HttpClient agent, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        JsonElement[] attempts;
        while ((attempts = await agent.Deliveries()).Length < count && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(attempts.Length >= count, $"expected {count} attempts kept, got {attempts.Length}");
        return attempts;
    }

    /// <summary>After a silo restart: the API answers again (its gateway connection is back) before the test goes on.</summary>
    async Task ApiIsBack(HttpClient agent)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if ((await agent.GetAsync("/market/api/agents/me")).StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(250);
        }
        Assert.Fail("the API did not come back after the silo restarted");
    }

    async Task StatusBecomes(string eventId, string status)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await stack.WebhookEventStatus(eventId) != status && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.Equal(status, await stack.WebhookEventStatus(eventId));
    }

    [Fact]
    public async Task An_event_arrives_signed_with_the_secret_given_at_registration_and_the_seed_payload()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        var secret = await agent.RegisterWebhook(receiver);
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        await stack.Raise(id, "job.created", "job_signed");

        var delivery = Assert.Single(await receiver.WaitFor(1));
        Assert.Equal([secret], delivery.VerifiedWith);
        Assert.StartsWith("msg_", delivery.WebhookId);
        Assert.InRange(delivery.Timestamp, stack.Clock.GetUtcNow().ToUnixTimeSeconds() - 30, stack.Clock.GetUtcNow().ToUnixTimeSeconds() + 1);
        var payload = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("job.created", payload.GetProperty("event").GetString());
        Assert.Equal("job_signed", payload.GetProperty("jobId").GetString());
        Assert.Equal(id, payload.GetProperty("agentId").GetString());
        Assert.Equal(7500, payload.GetProperty("data").GetProperty("priceCents").GetInt32());
        Assert.True(payload.TryGetProperty("timestamp", out _));

        var attempt = Assert.Single(await Attempts(agent, 1));
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
        Assert.Equal("delivered", attempt.GetProperty("status").GetString());
        Assert.Equal(delivery.WebhookId, attempt.GetProperty("webhookId").GetString());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("nextRetryAt").ValueKind);
    }

    [Fact]
    public async Task A_failing_event_is_retried_on_the_schedule_under_one_webhook_id_then_given_up()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (_, _) => new Answer(500);
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id);

        for (var attempt = 1; attempt <= Schedule.Length + 1; attempt++)
        {
            if (attempt > 1)
            {
                // Not before its time: the previous attempt's wait has not passed yet.
                await receiver.StaysAt(attempt - 1, 1000);
                stack.Clock.Advance(Schedule[attempt - 2] * 1.1 + TimeSpan.FromSeconds(1));
            }
            await receiver.WaitFor(attempt);
            var latest = (await Attempts(agent, attempt))[0];
            Assert.Equal(attempt, latest.GetProperty("attempt").GetInt32());
            Assert.Equal(500, latest.GetProperty("statusCode").GetInt32());
            if (attempt <= Schedule.Length)
            {
                var wait = latest.GetProperty("nextRetryAt").GetDateTimeOffset() - latest.GetProperty("attemptedAt").GetDateTimeOffset();
                Assert.InRange(wait, Schedule[attempt - 1], Schedule[attempt - 1] * 1.1 + TimeSpan.FromMilliseconds(5));
                Assert.Equal("pending", latest.GetProperty("status").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, latest.GetProperty("nextRetryAt").ValueKind);
                Assert.Equal("failed", latest.GetProperty("status").GetString());
            }
        }

        stack.Clock.Advance(TimeSpan.FromHours(12));
        await receiver.StaysAt(Schedule.Length + 1);
        var received = receiver.Received;
        Assert.Single(received.Select(r => r.WebhookId).Distinct());
        Assert.All(received, r => Assert.Single(r.VerifiedWith));
        Assert.Equal(0, await stack.PendingWebhookEventsOf(id));
    }

    [Fact]
    public async Task A_slow_receiver_holds_at_most_its_per_endpoint_share_and_never_delays_another_agents()
    {
        await using var slow = await WebhookReceiver.Start();
        await using var fast = await WebhookReceiver.Start();
        slow.Answers = (_, _) => new Answer(200, Delay: TimeSpan.FromSeconds(3));
        var (slowAgent, slowId) = await NewAgent();
        var (fastAgent, fastId) = await NewAgent();
        await slowAgent.RegisterWebhook(slow);
        await fastAgent.RegisterWebhook(fast);

        for (var i = 0; i < 12; i++) await stack.Raise(slowId, "job.message");
        await slow.WaitFor(1);
        var started = DateTime.UtcNow;
        await stack.Raise(fastId, "job.created");
        await fast.WaitFor(1, seconds: 2);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "the fast receiver waited behind the slow one");

        var all = await slow.WaitFor(12, seconds: 30);
        Assert.InRange(slow.MaxInFlight, 1, 4);   // Webhooks:PerEndpointConcurrency
        Assert.Equal(12, all.Select(r => r.WebhookId).Distinct().Count());
    }

    [Fact]
    public async Task An_agent_without_a_webhook_has_its_events_kept_settled_and_never_claimed_until_it_registers_one()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();

        // No URL: the event is kept, already settled, and the dispatcher never touches it.
        await stack.Raise(id, "job.created");
        var before = await Events(id);
        var unsent = Assert.Single(before);
        Assert.Equal(("settled", 0, (object?)null), (unsent.Status, unsent.Attempts, unsent.LeaseUntil));
        Assert.NotNull(unsent.FinishedAt);

        // Registered: the next event is pending, then delivered; the one before stays unsent.
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id, "job.accepted");
        var delivery = Assert.Single(await receiver.WaitFor(1));
        Assert.Contains("job.accepted", delivery.Body);
        await StatusBecomes((await Events(id)).Single(e => e.Event == "job.accepted").EventId, "delivered");

        // Removed: settled at once again.
        Assert.True((await agent.DeleteAsync(WebhookClient.Path)).IsSuccessStatusCode);
        await stack.Raise(id, "job.delivered");
        var removed = (await Events(id)).Single(e => e.Event == "job.delivered");
        Assert.Equal(("settled", 0), (removed.Status, removed.Attempts));
        await receiver.StaysAt(1);
        Assert.Equal(1, await stack.WebhookAttemptsOf(id));
    }

    async Task<List<(string EventId, string Event, string Status, int Attempts, object? LeaseUntil, object? FinishedAt)>> Events(string agentId)
    {
        var rows = await stack.Postgres.Rows(
            "SELECT event_id, event, status, attempts, lease_until, finished_at FROM webhook_events WHERE agent_id = @id ORDER BY created_at, event_id",
            ("id", agentId));
        return rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, (int)r[3]!, r[4], r[5])).ToList();
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_at_once_and_later_events_are_settled_unsent()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (_, _) => new Answer(410);
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id);
        await receiver.WaitFor(1);
        await Attempts(agent, 1);

        var config = await agent.GetWebhook();
        Assert.False(config.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", config.GetProperty("disabledReason").GetString());

        await stack.Raise(id, "job.accepted");
        var until = DateTime.UtcNow.AddSeconds(10);
        while (await stack.PendingWebhookEventsOf(id) > 0 && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.Equal(0, await stack.PendingWebhookEventsOf(id));
        Assert.Equal(1, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM webhook_events WHERE agent_id = @id AND status = 'settled'", ("id", id)))!);
        stack.Clock.Advance(TimeSpan.FromMinutes(1));
        await receiver.StaysAt(1);
        Assert.Equal(1, await stack.WebhookAttemptsOf(id));

        // Registering again enables it.
        receiver.Answers = (_, _) => new Answer(200);
        await agent.RegisterWebhook(receiver);
        Assert.True((await agent.GetWebhook()).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_when_the_receiver_asked_not_on_the_schedule()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (n, _) => n == 1 ? new Answer(429, RetryAfter: "120") : new Answer(200);
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id);
        await receiver.WaitFor(1);
        var first = (await Attempts(agent, 1))[0];
        Assert.Equal(429, first.GetProperty("statusCode").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(120),
            first.GetProperty("nextRetryAt").GetDateTimeOffset() - first.GetProperty("attemptedAt").GetDateTimeOffset());

        stack.Clock.Advance(TimeSpan.FromSeconds(10));   // past the schedule's 5 s, not past what it asked
        await receiver.StaysAt(1);
        stack.Clock.Advance(TimeSpan.FromSeconds(115));
        var received = await receiver.WaitFor(2);
        Assert.Equal(received[0].WebhookId, received[1].WebhookId);
        Assert.Equal("delivered", (await Attempts(agent, 2))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_event_in_flight_when_the_silo_dies_arrives_after_restart_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.Start();
        // The first request hangs until the silo is gone; the next is answered.
        receiver.Answers = (n, _) => n == 1 ? new Answer(200, Delay: TimeSpan.FromSeconds(60)) : new Answer(200);
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id, "job.delivered");
        var inFlight = (await receiver.WaitFor(1))[0];

        await stack.StopSilo();
        await stack.StartSilo();
        // The dead silo's lease runs out, then the event leaves again.
        stack.Clock.Advance(TimeSpan.FromSeconds(61));

        var received = await receiver.WaitFor(2, seconds: 40);
        Assert.Equal(inFlight.WebhookId, received[1].WebhookId);
        Assert.Equal(inFlight.Body, received[1].Body);
        Assert.NotEmpty(received[1].VerifiedWith);
        await StatusBecomes(inFlight.WebhookId, "delivered");
        await ApiIsBack(agent);
    }

    [Fact]
    public async Task An_event_written_while_no_silo_runs_is_delivered_once_one_starts()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id, "job.created");
        var first = (await receiver.WaitFor(1))[0];
        await Attempts(agent, 1);

        await stack.StopSilo();
        try
        {
            // What a raiser commits is in the table: it is there when the silo comes back.
            await stack.Postgres.Scalar("""
                INSERT INTO webhook_events (event_id, agent_id, event, job_id, body, created_at)
                VALUES ('msg_writtenwhiledown' || @suffix, @id, 'job.completed', NULL, '{"event":"job.completed"}', now())
                """, ("id", id), ("suffix", Guid.NewGuid().ToString("N")));
        }
        finally
        {
            await stack.StartSilo();
        }

        var received = await receiver.WaitFor(2, seconds: 40);
        Assert.StartsWith("msg_writtenwhiledown", received[1].WebhookId);
        Assert.Equal("""{"event":"job.completed"}""", received[1].Body);
        Assert.NotEmpty(received[1].VerifiedWith);
        Assert.NotEqual(first.WebhookId, received[1].WebhookId);
        await StatusBecomes(received[1].WebhookId, "delivered");
        await ApiIsBack(agent);
    }

    [Fact]
    public async Task After_rotate_secret_deliveries_carry_both_signatures_for_24_hours_then_only_the_new()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (agent, id) = await NewAgent();
        var old = await agent.RegisterWebhook(receiver);

        var rotated = await agent.PostAsync(WebhookClient.Path + "/rotate-secret", null);
        var body = await rotated.ReadJson();
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", fresh);
        Assert.NotEqual(old, fresh);
        receiver.Trust(fresh);

        await stack.Raise(id);
        var both = (await receiver.WaitFor(1))[0];
        Assert.Equal(2, both.Signatures.Count);
        Assert.Equal(2, both.VerifiedWith.Count);
        Assert.Contains(old, both.VerifiedWith);
        Assert.Contains(fresh, both.VerifiedWith);

        stack.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await stack.Raise(id);
        var only = (await receiver.WaitFor(2))[1];
        Assert.Single(only.Signatures);
        Assert.Equal([fresh], only.VerifiedWith);
        Assert.Equal(JsonValueKind.Null, (await agent.GetWebhook()).GetProperty("previousSecretExpiresAt").ValueKind);
    }

    [Fact]
    public async Task The_deliveries_list_shows_attempts_and_a_manual_retry_sends_the_event_again_now()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (n, _) => n == 1 ? new Answer(500) : new Answer(204);
        var (agent, id) = await NewAgent();
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id, "job.message");
        await receiver.WaitFor(1);
        var failed = Assert.Single(await Attempts(agent, 1));
        Assert.Equal("job.message", failed.GetProperty("event").GetString());
        Assert.Equal(500, failed.GetProperty("statusCode").GetInt32());
        Assert.True(failed.GetProperty("durationMs").GetInt32() >= 0);
        Assert.Equal(1, failed.GetProperty("attempt").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("nextRetryAt").ValueKind);

        var retry = await agent.PostAsync($"{WebhookClient.Path}/deliveries/{failed.GetProperty("id").GetString()}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var received = await receiver.WaitFor(2, seconds: 4);   // well before the schedule's 5 s
        Assert.Equal(received[0].WebhookId, received[1].WebhookId);
        var latest = (await Attempts(agent, 2))[0];
        Assert.Equal(204, latest.GetProperty("statusCode").GetInt32());
        Assert.Equal("delivered", latest.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retry_of_an_unknown_or_another_agents_delivery_is_not_found_and_changes_nothing()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (_, _) => new Answer(500);
        var (owner, ownerId) = await NewAgent();
        await owner.RegisterWebhook(receiver);
        await stack.Raise(ownerId);
        await receiver.WaitFor(1);
        var attempt = (await Attempts(owner, 1))[0];
        var (stranger, _) = await NewAgent();
        await stranger.RegisterWebhook(receiver);
        var before = await stack.Postgres.Scalar("SELECT next_attempt_at FROM webhook_events WHERE event_id = @id",
            ("id", attempt.GetProperty("webhookId").GetString()!));

        foreach (var path in new[] { attempt.GetProperty("id").GetString(), "whd_nothing", "not-an-id" })
        {
            var response = await stranger.PostAsync($"{WebhookClient.Path}/deliveries/{path}/retry", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(before, await stack.Postgres.Scalar("SELECT next_attempt_at FROM webhook_events WHERE event_id = @id",
            ("id", attempt.GetProperty("webhookId").GetString()!)));
        Assert.Equal(1, await stack.WebhookAttemptsOf(ownerId));
    }

    [Fact]
    public async Task An_endpoint_failing_everything_for_5_days_is_disabled_and_its_owner_emailed()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answers = (_, _) => new Answer(500);
        var owner = Unique.Email("webhook-owner");
        var (agent, id) = await NewAgent(owner);
        await agent.RegisterWebhook(receiver);
        await stack.Raise(id);
        await receiver.WaitFor(1);
        await Attempts(agent, 1);
        Assert.True((await agent.GetWebhook()).GetProperty("enabled").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, (await agent.GetWebhook()).GetProperty("failingSince").ValueKind);

        stack.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await stack.Raise(id, "job.cancelled");
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((await agent.GetWebhook()).GetProperty("enabled").GetBoolean() && DateTime.UtcNow < until) await Task.Delay(100);
        var config = await agent.GetWebhook();
        Assert.False(config.GetProperty("enabled").GetBoolean());
        Assert.Contains("5 days", config.GetProperty("disabledReason").GetString());
        Assert.Equal(receiver.Url.ToString(), await MailDrop.WaitForLine(stack.MailDrop, owner, receiver.Url.ToString()));
    }
}
