using Npgsql;

namespace Actors.Grains.Platform;

[StatelessWorker, Reentrant]
public sealed class PingGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock, NpgsqlDataSource db) : Grain, IPingGrain
{
    public Task<DateTimeOffset> Ping() => Task.FromResult(clock.GetUtcNow());

    // FailedCallRecovery turns a refused connection into StorageUnavailableException.
    public async Task Ready()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await using var command = db.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(timeout.Token);
    }
}
