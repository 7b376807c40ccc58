using Actors.Grains.Access;
using Actors.Grains.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Access;

/// <summary>The <c>access_tokens</c> table, keyed by the token's hash.</summary>
public sealed class AccessTokenStore(NpgsqlDataSource db)
{
    /// <summary>The insert of a new token, to commit with the ledger transfer that pays for it.</summary>
    public static LedgerWrite Insert(string tokenHash, AccessGrant grant) => new("access_tokens",
        ["token_hash", "org_id", "agent_id", "domain", "content_id", "retrieval_id", "issued_at", "expires_at"],
        [tokenHash, grant.OrgId, grant.AgentId, grant.Domain, grant.ContentId, grant.RetrievalId, grant.IssuedAt, grant.ExpiresAt]);

    public async Task<(AccessGrant Grant, DateTimeOffset? UsedAt)?> Find(string tokenHash)
    {
        await using var cmd = db.CreateCommand("""
            SELECT org_id, agent_id, domain, content_id, retrieval_id, issued_at, expires_at, used_at
            FROM access_tokens WHERE token_hash = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tokenHash });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return (new AccessGrant(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)),
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>Marks the token used if it is unused and unexpired; false otherwise. Single use holds even across activations.</summary>
    public async Task<bool> Use(string tokenHash, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE access_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tokenHash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    public async Task<int> DeleteExpiredBefore(DateTimeOffset cutoff)
    {
        await using var cmd = db.CreateCommand("DELETE FROM access_tokens WHERE expires_at < $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await cmd.ExecuteNonQueryAsync();
    }
}
