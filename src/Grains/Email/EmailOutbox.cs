using Npgsql;
using Actors.Grains.Platform;

namespace Actors.Grains.Email;

/// <summary>
/// The <c>emails</c> outbox. A grain enqueues in the operation that needs the email; the
/// <see cref="MailDispatcher"/> delivers later, so a slow mail server never blocks a request.
/// </summary>
public sealed class EmailOutbox(NpgsqlDataSource db, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    public async Task Enqueue(string to, string subject, string textBody)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO emails (email_id, recipient, subject, text_body, created_at)
            VALUES (@id, @to, @subject, @body, @now)
            """);
        cmd.Parameters.AddWithValue("id", Identity.RandomToken.Id("eml"));
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("subject", subject);
        cmd.Parameters.AddWithValue("body", textBody);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Claims up to <paramref name="max"/> unsent emails; concurrent dispatchers skip each other's rows.</summary>
    internal async Task<int> DeliverPending(Func<OutboxEmail, Task> deliver, int max, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new List<OutboxEmail>();
        await using (var select = new NpgsqlCommand("""
            SELECT email_id, recipient, subject, text_body, created_at FROM emails
            WHERE sent_at IS NULL ORDER BY created_at LIMIT @max FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            select.Parameters.AddWithValue("max", max);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                batch.Add(new OutboxEmail(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        foreach (var email in batch)
        {
            await deliver(email);
            await using var mark = new NpgsqlCommand("UPDATE emails SET sent_at = @now WHERE email_id = @id", connection, tx);
            mark.Parameters.AddWithValue("now", clock.GetUtcNow());
            mark.Parameters.AddWithValue("id", email.Id);
            await mark.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return batch.Count;
    }
}

public sealed record OutboxEmail(string Id, string To, string Subject, string TextBody, DateTimeOffset CreatedAt);
