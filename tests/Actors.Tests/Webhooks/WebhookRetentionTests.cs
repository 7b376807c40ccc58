using Actors.Grains.Platform;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Webhooks;

[Collection(StackCollection.Name)]
public sealed class WebhookRetentionTests(ActorsStack stack)
{
    [Fact]
    public async Task Housekeeping_deletes_attempts_and_finished_events_past_retention_and_keeps_the_rest()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var agent = "agt_retention" + tag;
        var now = stack.Clock.GetUtcNow();
        async Task Event(string id, string status, DateTimeOffset created, DateTimeOffset? finished) =>
            await stack.Postgres.Scalar("""
                INSERT INTO webhook_events (event_id, agent_id, event, body, created_at, status, finished_at, next_attempt_at)
                VALUES (@id, @agent, 'job.created', '{}', @created, @status, @finished, @next)
                """, ("id", id), ("agent", agent), ("created", created), ("status", status),
                ("finished", (object?)finished ?? DBNull.Value), ("next", now.AddDays(1)));
        async Task Attempt(string id, DateTimeOffset at) =>
            await stack.Postgres.Scalar("""
                INSERT INTO webhook_deliveries (delivery_id, event_id, agent_id, event, attempt, url, status_code, duration_ms, attempted_at)
                VALUES (@id, 'msg_none', @agent, 'job.created', 1, 'https://example.com/hook', 200, 5, @at)
                """, ("id", id), ("agent", agent), ("at", at));

        await Event("msg_olddone" + tag, "delivered", now.AddDays(-40), now.AddDays(-31));
        await Event("msg_oldfailed" + tag, "failed", now.AddDays(-40), now.AddDays(-31));
        await Event("msg_oldpending" + tag, "pending", now.AddDays(-40), null);
        await Event("msg_recentdone" + tag, "delivered", now.AddDays(-2), now.AddDays(-1));
        await Attempt("whd_old" + tag, now.AddDays(-31));
        await Attempt("whd_recent" + tag, now.AddDays(-1));

        var report = await stack.SiloServices.GetRequiredService<IGrainFactory>()
            .GetGrain<IHousekeepingGrain>(IHousekeepingGrain.Key).RunNow();

        Assert.True(report.WebhookRows >= 3, $"{report.WebhookRows} rows deleted");
        var events = (string[])(await stack.Postgres.Scalar(
            "SELECT coalesce(array_agg(event_id ORDER BY event_id), '{}') FROM webhook_events WHERE agent_id = @agent", ("agent", agent)))!;
        Assert.Equal(["msg_oldpending" + tag, "msg_recentdone" + tag], events);
        var attempts = (string[])(await stack.Postgres.Scalar(
            "SELECT coalesce(array_agg(delivery_id), '{}') FROM webhook_deliveries WHERE agent_id = @agent", ("agent", agent)))!;
        Assert.Equal(["whd_recent" + tag], attempts);
    }
}
