using System.Text.Json;
using Npgsql;
using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Webhooks;

/// <summary>
/// An event for one agent's webhook: the seed's payload <c>{event, data, timestamp, jobId?, agentId}</c>.
/// <see cref="Data"/> is serialised as JSON (camelCase) when the event is written. <see cref="EventId"/>
/// is its webhook-id: null for a new random one; a raiser that may write the same step twice (a
/// retry, a recovery) names it deterministically, and the second write is then ignored.
/// </summary>
public sealed record WebhookEvent(string AgentId, string Event, object Data, string? JobId = null, string? EventId = null);

/// <summary>
/// The webhook outbox (<c>webhook_events</c>, schema 0700): an event is written durably in the
/// operation that raises it — ideally in the raiser's own transaction, by adding
/// <see cref="Command"/> to its <see cref="NpgsqlBatch"/> — and delivered later by the webhook
/// dispatcher, so a silo that dies between the change and the send loses nothing. The body is
/// fixed here, once: every retry sends the same bytes under the same <c>webhook-id</c> (the
/// event id), which is the receiver's idempotency key. Events of an agent without a webhook URL are
/// written too, already settled (schema 0750); the dispatcher settles those of a disabled endpoint.
/// </summary>
public sealed class WebhookOutbox(NpgsqlDataSource db, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // An agent without a webhook URL (no webhook_subscribers row, schema 0750) gets its event
    // written settled: kept like any other, never claimed by the dispatcher.
    const string Insert = """
        INSERT INTO webhook_events (event_id, agent_id, event, job_id, body, created_at, status, finished_at)
        SELECT e.id, e.agent, e.event, e.job, e.body, e.at,
               CASE WHEN s.agent_id IS NULL THEN 'settled' ELSE 'pending' END,
               CASE WHEN s.agent_id IS NULL THEN e.at END
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS e(id, agent, event, job, body, at)
        LEFT JOIN webhook_subscribers s ON s.agent_id = e.agent
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>The INSERT of <paramref name="events"/>, to run in the caller's batch (one transaction with its change).</summary>
    public NpgsqlBatchCommand Command(IReadOnlyList<WebhookEvent> events)
    {
        var now = clock.GetUtcNow();
        var command = new NpgsqlBatchCommand(Insert);
        command.Parameters.Add(PgArrays.Texts(events.Select(e => e.EventId ?? RandomToken.Id("msg"))));
        command.Parameters.Add(PgArrays.Texts(events.Select(e => e.AgentId)));
        command.Parameters.Add(PgArrays.Texts(events.Select(e => e.Event)));
        command.Parameters.Add(PgArrays.Texts(events.Select(e => e.JobId)));
        command.Parameters.Add(PgArrays.Texts(events.Select(e => Body(e, now))));
        command.Parameters.Add(PgArrays.Times(events.Select(_ => now)));
        return command;
    }

    /// <summary>Writes the events in a statement of their own (one round trip for all of them).</summary>
    public async Task Append(IReadOnlyList<WebhookEvent> events)
    {
        if (events.Count == 0) return;
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(events));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The seed's payload, with the write time as its <c>timestamp</c>.</summary>
    public static string Body(WebhookEvent e, DateTimeOffset at) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["event"] = e.Event,
        ["data"] = e.Data,
        ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
        ["jobId"] = e.JobId,
        ["agentId"] = e.AgentId,
    }, Json);
}
