using System.Security.Cryptography;
using Npgsql;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.DataProtection;

namespace Actors.Grains.Email;

/// <summary>
/// The <c>emails</c> outbox. A grain enqueues in the operation that needs the email; the
/// <see cref="MailDispatcher"/> delivers later, so a slow mail server never blocks a request.
/// An email's text carries a live token (a sign-in, approval or claim link), so it is stored
/// encrypted with the Data Protection key ring and erased once sent: a copy of the table signs
/// nobody in. Subject and recipient stay readable (they carry no secret) for operators.
/// </summary>
public sealed class EmailOutbox(
    NpgsqlDataSource db,
    IDataProtectionProvider protection,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    readonly IDataProtector _protector = protection.CreateProtector("Actors.Email.Bodies.v1");

    public async Task Enqueue(string to, string subject, string textBody)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(to, subject, textBody));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The email's INSERT, to run in the caller's batch: it commits with the change that needs it, or not at all.</summary>
    public NpgsqlBatchCommand Command(string to, string subject, string textBody)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO emails (email_id, recipient, subject, protected_body, created_at)
            VALUES ($1, $2, $3, $4, $5)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Identity.RandomToken.Id("eml") });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = subject });
        cmd.Parameters.Add(new NpgsqlParameter { Value = _protector.Protect(textBody) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        return cmd;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> unsent emails; concurrent dispatchers skip each other's rows.
    /// A sent email keeps only its metadata (recipient, subject, times): its text is erased.
    /// </summary>
    internal async Task<int> DeliverPending(Func<OutboxEmail, Task> deliver, int max, CancellationToken ct,
        Action<string, Exception>? undeliverable = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new List<(OutboxEmail Email, Exception? Unreadable)>();
        await using (var select = new NpgsqlCommand("""
            SELECT email_id, recipient, subject, protected_body, text_body, created_at FROM emails
            WHERE sent_at IS NULL ORDER BY created_at LIMIT @max FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            select.Parameters.AddWithValue("max", max);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                string body = "";
                Exception? unreadable = null;
                // Rows written before bodies were encrypted (0500) are delivered as they are.
                if (!reader.IsDBNull(3))
                    try { body = _protector.Unprotect(reader.GetString(3)); }
                    catch (CryptographicException e) { unreadable = e; }
                else if (!reader.IsDBNull(4)) body = reader.GetString(4);
                batch.Add((new OutboxEmail(reader.GetString(0), reader.GetString(1), reader.GetString(2), body,
                    reader.GetFieldValue<DateTimeOffset>(5)), unreadable));
            }
        }
        foreach (var (email, unreadable) in batch)
        {
            // A body the key ring cannot decrypt (its key lost) would block the outbox forever: it is given up.
            if (unreadable is null) await deliver(email);
            else undeliverable?.Invoke(email.Id, unreadable);
            await using var mark = new NpgsqlCommand(
                "UPDATE emails SET sent_at = @now, protected_body = NULL, text_body = NULL WHERE email_id = @id", connection, tx);
            mark.Parameters.AddWithValue("now", clock.GetUtcNow());
            mark.Parameters.AddWithValue("id", email.Id);
            await mark.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return batch.Count;
    }
}

public sealed record OutboxEmail(string Id, string To, string Subject, string TextBody, DateTimeOffset CreatedAt);
