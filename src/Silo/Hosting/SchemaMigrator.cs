using System.Reflection;
using Npgsql;

namespace Actors.Silo.Hosting;

/// <summary>
/// Applies the embedded <c>Schema/*.sql</c> files in name order, each once, under a
/// PostgreSQL advisory lock so that silos starting together do not race.
/// Every file is also idempotent on its own, so a half-recorded run is safe to repeat.
/// </summary>
public static class SchemaMigrator
{
    // An arbitrary constant that names our migration lock among all advisory locks.
    const long MigrationLockKey = 0x4163746f7273; // "Actors"

    public static async Task Apply(string connectionString, ILogger logger, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", ct);
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, ct);

            var applied = new HashSet<string>();
            await using (var read = new NpgsqlCommand("SELECT name FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));

            foreach (var (name, sql) in Scripts())
            {
                if (applied.Contains(name)) continue;
                await using var tx = await connection.BeginTransactionAsync(ct);
                await Execute(connection, tx, sql, ct);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (name) VALUES (@name)", connection, tx);
                record.Parameters.AddWithValue("name", name);
                await record.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied schema migration {Migration}", name);
            }
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    static IEnumerable<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith("Schema.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource["Schema.".Length..], reader.ReadToEnd());
        }
    }

    static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
