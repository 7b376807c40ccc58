using System.Security.Cryptography;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Idempotency;

/// <summary>
/// The <c>idempotency_responses</c> table: one row per completed idempotent request. Every body
/// is stored encrypted with the Data Protection key ring (a replayed answer may carry an agent
/// key or an access token), so replays stay transparent and a copy of the table holds no secret.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource db, IDataProtectionProvider protection)
{
    readonly IDataProtector _protector = protection.CreateProtector("Actors.Idempotency.Responses.v1");

    public async Task<StoredIdempotentResponse?> Find(string keyId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT fingerprint, status_code, content_type, location, body, replay_until, created_at, body_protected
            FROM idempotency_responses WHERE key_id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var body = reader.IsDBNull(4) ? [] : reader.GetFieldValue<byte[]>(4);
        var createdAt = reader.GetFieldValue<DateTimeOffset>(6);
        var replayUntil = reader.IsDBNull(5) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(5);
        // Rows written before bodies were encrypted (0500) replay as they are.
        if (body.Length > 0 && reader.GetBoolean(7))
        {
            try { body = _protector.Unprotect(body); }
            catch (CryptographicException)
            {
                // The ring lost the key it was written with: a repeat is answered as a response that
                // expired (never run again as a new request).
                body = [];
                replayUntil = createdAt;
            }
        }
        return new StoredIdempotentResponse(
            reader.GetString(0),
            new StoredResponse(
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                body),
            replayUntil,
            createdAt);
    }

    /// <summary>Writes the first response; a row already there (a racing replica) wins and is returned.</summary>
    public async Task<StoredIdempotentResponse> Insert(string keyId, StoredIdempotentResponse row)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO idempotency_responses (key_id, fingerprint, status_code, content_type, location, body, replay_until, created_at, body_protected)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)
            ON CONFLICT (key_id) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = row.Fingerprint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = row.Response.StatusCode });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Response.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Response.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = _protector.Protect(row.Response.Body), NpgsqlDbType = NpgsqlDbType.Bytea });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)row.ReplayUntil ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = row.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await cmd.ExecuteNonQueryAsync() == 1 ? row : (await Find(keyId))!;
    }

    public async Task ForgetBody(string keyId)
    {
        await using var cmd = db.CreateCommand("UPDATE idempotency_responses SET body = NULL WHERE key_id = $1 AND body IS NOT NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Erases the bodies of responses no longer replayed (they may carry a dead token); returns how many.</summary>
    public async Task<int> ForgetBodiesNotReplayedAfter(DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("UPDATE idempotency_responses SET body = NULL WHERE replay_until <= $1 AND body IS NOT NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes responses older than the retention time; returns how many.</summary>
    public async Task<int> Purge(DateTimeOffset createdBefore)
    {
        await using var cmd = db.CreateCommand("DELETE FROM idempotency_responses WHERE created_at < $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = createdBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await cmd.ExecuteNonQueryAsync();
    }
}

public sealed record StoredIdempotentResponse(
    string Fingerprint, StoredResponse Response, DateTimeOffset? ReplayUntil, DateTimeOffset CreatedAt);
