using System.Net.Sockets;
using Npgsql;

namespace Actors.Grains.Platform;

/// <summary>
/// Tells a database outage from a real failure. The driver's exceptions reach a grain bare (the
/// stores) or wrapped (the Orleans ADO.NET storage and reminder providers, aggregate exceptions),
/// so the whole chain of inner exceptions is read.
/// </summary>
public static class StorageFailures
{
    /// <summary>A <see cref="StorageUnavailableException"/> when <paramref name="e"/> is an outage, otherwise null.</summary>
    public static StorageUnavailableException? Unavailable(Exception e)
    {
        return Cause(e, depth: 0) switch
        {
            null => null,
            // Already translated (by the storage provider, or a grain this one called): passed on as it is.
            StorageUnavailableException unavailable => unavailable,
            var cause => new StorageUnavailableException($"Storage is temporarily unavailable ({cause.GetType().Name}: {cause.Message})"),
        };
    }

    /// <summary><paramref name="e"/> itself, or its outage as a <see cref="StorageUnavailableException"/>.</summary>
    public static Exception Translate(Exception e) => Unavailable(e) ?? e;

    /// <summary>
    /// An activation's own reads (a grain's <c>OnActivateAsync</c>), with an outage as a
    /// <see cref="StorageUnavailableException"/>. No call filter sees an activation: Orleans hands
    /// its exception to every call waiting for it, and the driver's has no codec (a 500, not a 503).
    /// </summary>
    public static async Task Activating(Func<Task> activate)
    {
        try
        {
            await activate();
        }
        catch (Exception e) when (Unavailable(e) is { } unavailable && !ReferenceEquals(unavailable, e))
        {
            throw unavailable;
        }
    }

    static Exception? Cause(Exception? e, int depth)
    {
        if (e is null || depth > 10) return null;
        if (IsOutage(e)) return e;
        if (e is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions)
                if (Cause(inner, depth + 1) is { } cause) return cause;
        return Cause(e.InnerException, depth + 1);
    }

    static bool IsOutage(Exception e) => e switch
    {
        StorageUnavailableException => true,
        PostgresException pg => IsOutage(pg),
        // Without a server answer: connect failures, broken or timed-out connections, an exhausted pool.
        NpgsqlException => true,
        SocketException => true,
        TimeoutException timeout => timeout.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true,
        _ => false,
    };

    /// <summary>
    /// The server ended or refused the session (FATAL: terminated by an administrator, the database
    /// not accepting connections, a failed login), or says it cannot serve now. Constraint
    /// violations, bad input and serialization conflicts stay real errors.
    /// </summary>
    static bool IsOutage(PostgresException pg) =>
        pg.InvariantSeverity is "FATAL" or "PANIC"
        || pg.SqlState.StartsWith("08", StringComparison.Ordinal)   // connection exception
        || pg.SqlState.StartsWith("53", StringComparison.Ordinal)   // insufficient resources: too many connections, disk full
        || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)  // admin/crash shutdown, cannot connect now
        || pg.SqlState.StartsWith("58", StringComparison.Ordinal);  // system error: I/O
}
