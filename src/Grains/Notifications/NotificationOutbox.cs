using System.Text.Json;
using Npgsql;
using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Notifications;

/// <summary>
/// One entry of an agent's notification inbox (seed: Notifications): <see cref="Type"/> is one of
/// the seed's (outbid, bid_received, bid_accepted, bid_rejected, bid_updated, system) or a job or
/// subscription event; <see cref="Data"/> is serialised as JSON (camelCase). <see cref="Id"/> null
/// for a new random one; a raiser that may write the same step twice names it deterministically,
/// and the second write is then ignored.
/// </summary>
public sealed record Notification(string AgentId, string Type, string Title, string Body, string? Link = null, object? Data = null, string? Id = null);

/// <summary>
/// Writes notifications (<c>notifications</c>, schema 0710) in the operation that raises them: add
/// <see cref="Command"/> to the raiser's <see cref="NpgsqlBatch"/> so they commit with its change,
/// or <see cref="Append"/> them in a statement of their own. Many recipients are one statement.
/// The inbox (<see cref="NotificationStore"/>) reads, marks and prunes them.
/// </summary>
public sealed class NotificationOutbox(NpgsqlDataSource db, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    const string Insert = """
        INSERT INTO notifications (notification_id, agent_id, type, title, body, link, data, created_at)
        SELECT n.id, n.agent, n.type, n.title, n.body, n.link, n.data::jsonb, n.at
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
             AS n(id, agent, type, title, body, link, data, at)
        ON CONFLICT (notification_id) DO NOTHING
        """;

    public NpgsqlBatchCommand Command(IReadOnlyList<Notification> notifications)
    {
        var now = clock.GetUtcNow();
        var command = new NpgsqlBatchCommand(Insert);
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.Id ?? RandomToken.Id("ntf"))));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.AgentId)));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.Type)));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.Title)));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.Body)));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => n.Link)));
        command.Parameters.Add(PgArrays.Texts(notifications.Select(n => JsonSerializer.Serialize(n.Data ?? new { }, Json))));
        command.Parameters.Add(PgArrays.Times(notifications.Select(_ => now)));
        return command;
    }

    public async Task Append(IReadOnlyList<Notification> notifications)
    {
        if (notifications.Count == 0) return;
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(notifications));
        await batch.ExecuteNonQueryAsync();
    }
}
