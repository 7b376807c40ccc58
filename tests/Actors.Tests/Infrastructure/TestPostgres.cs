using System.Diagnostics;
using Npgsql;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries: a temporary data folder, a
/// free port, deleted on dispose. As root it runs as the <c>postgres</c> user (initdb refuses root).
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    const string BinDir = "/usr/lib/postgresql/15/bin";
    readonly string _root;
    readonly string _dataDir;

    public int Port { get; }
    public string ConnectionString { get; }

    TestPostgres(string root, int port)
    {
        _root = root;
        _dataDir = Path.Combine(root, "data");
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=test;Database=actors;Maximum Pool Size=30";
    }

    public static async Task<TestPostgres> Start()
    {
        var root = Directory.CreateTempSubdirectory("actors-pg-").FullName;
        var server = new TestPostgres(root, FreePort.Next());
        await File.WriteAllTextAsync(Path.Combine(root, "pw"), "test\n");
        // ./test stops servers whose owning test process died without disposing them.
        await File.WriteAllTextAsync(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString());
        if (RunningAsRoot) await Run("chown", "-R", "postgres:postgres", root);

        await RunAsPostgres(Path.Combine(BinDir, "initdb"), "-D", server._dataDir, "-U", "postgres",
            "--pwfile", Path.Combine(root, "pw"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync");
        await RunAsPostgres(Path.Combine(BinDir, "pg_ctl"), "-D", server._dataDir, "-l", Path.Combine(root, "log"), "-w", "-t", "60",
            "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start");

        await using var admin = new NpgsqlConnection(server.ConnectionString.Replace("Database=actors", "Database=postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE actors", admin);
        await create.ExecuteNonQueryAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await RunAsPostgres(Path.Combine(BinDir, "pg_ctl"), "-D", _dataDir, "-m", "immediate", "-w", "stop"); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static bool RunningAsRoot => Environment.UserName == "root";

    static Task RunAsPostgres(string file, params string[] args) =>
        RunningAsRoot ? Run("runuser", ["-u", "postgres", "--", file, .. args]) : Run(file, args);

    static async Task Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }

    /// <summary>
    /// Ends the other sessions whose last statement starts with <paramref name="statementStart"/>,
    /// as a database restart or a proxy would cut them; answers their process ids.
    /// </summary>
    public async Task<int[]> CutSessionsRunning(string statementStart) =>
        (int[]?)await Scalar("SELECT array_agg(pid) FROM pg_stat_activity " +
            "WHERE starts_with(query, @start) AND pid <> pg_backend_pid() AND pg_terminate_backend(pid)", ("start", statementStart)) ?? [];

    /// <summary>How many sessions, other than <paramref name="except"/>, last ran a statement starting with <paramref name="statementStart"/>.</summary>
    public async Task<long> SessionsRunning(string statementStart, int[] except) =>
        (long)(await Scalar("SELECT count(*) FROM pg_stat_activity WHERE starts_with(query, @start) AND pid <> pg_backend_pid() AND pid <> ALL(@except)",
            ("start", statementStart), ("except", except)))!;

    /// <summary>
    /// The database goes away as an outage would: it refuses new connections and every open
    /// session is cut. Administered from the <c>postgres</c> database, which stays reachable.
    /// </summary>
    public async Task RefuseConnections()
    {
        await Admin("ALTER DATABASE actors ALLOW_CONNECTIONS false");
        await Admin("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'actors' AND pid <> pg_backend_pid()");
    }

    /// <summary>
    /// The database takes connections again (the end of an outage). The test's own pool is emptied:
    /// its sessions were cut, and the next test's first <see cref="Scalar"/> must not draw a dead one.
    /// </summary>
    public async Task AllowConnections()
    {
        await Admin("ALTER DATABASE actors ALLOW_CONNECTIONS true");
        using var pooled = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    async Task Admin(string sql)
    {
        // Unpooled: the test's own pool must not keep a session that the outage would cut.
        await using var connection = new NpgsqlConnection(ConnectionString.Replace("Database=actors", "Database=postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One value from the database, for tests that check what was (or was not) written.</summary>
    public async Task<object?> Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Every row a query answers, each as its column values (DBNull as null).</summary>
    public async Task<List<object?[]>> Rows(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
