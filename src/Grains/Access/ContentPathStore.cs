using Npgsql;

namespace Actors.Grains.Access;

/// <summary>The <c>access_content_paths</c> index: publisher path → content id.</summary>
public sealed class ContentPathStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Points <paramref name="path"/> at the content (moving it from its previous path) in one
    /// transaction; false, changing nothing, when another content already has the path.
    /// </summary>
    public async Task<bool> Claim(string domain, string path, string contentId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var taken = new NpgsqlCommand(
            "SELECT content_id FROM access_content_paths WHERE domain = $1 AND path = $2 FOR UPDATE", connection, tx))
        {
            taken.Parameters.Add(new NpgsqlParameter { Value = domain });
            taken.Parameters.Add(new NpgsqlParameter { Value = path });
            var owner = await taken.ExecuteScalarAsync() as string;
            if (owner == contentId) return true;
            if (owner is not null) return false;
        }
        await using (var release = new NpgsqlCommand(
            "DELETE FROM access_content_paths WHERE domain = $1 AND content_id = $2", connection, tx))
        {
            release.Parameters.Add(new NpgsqlParameter { Value = domain });
            release.Parameters.Add(new NpgsqlParameter { Value = contentId });
            await release.ExecuteNonQueryAsync();
        }
        await using (var claim = new NpgsqlCommand(
            "INSERT INTO access_content_paths (domain, path, content_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", connection, tx))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = domain });
            claim.Parameters.Add(new NpgsqlParameter { Value = path });
            claim.Parameters.Add(new NpgsqlParameter { Value = contentId });
            if (await claim.ExecuteNonQueryAsync() == 0) return false; // claimed concurrently by other content
        }
        await tx.CommitAsync();
        return true;
    }

    /// <summary>Removes the content's path (undoing a claim whose content was never stored); none is fine.</summary>
    public async Task Release(string domain, string contentId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM access_content_paths WHERE domain = $1 AND content_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = domain });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contentId });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<string?> Find(string domain, string path)
    {
        await using var cmd = db.CreateCommand("SELECT content_id FROM access_content_paths WHERE domain = $1 AND path = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = domain });
        cmd.Parameters.Add(new NpgsqlParameter { Value = path });
        return await cmd.ExecuteScalarAsync() as string;
    }
}
