using System.Net.Sockets;
using Actors.Grains.Platform;
using Npgsql;

namespace Actors.UnitTests.Platform;

/// <summary>What counts as the database being away (a 503, retried), and what stays a real error.</summary>
public sealed class StorageFailuresTests
{
    static PostgresException Server(string sqlState, string severity = "ERROR") =>
        new("server says no", severity, severity, sqlState);

    [Theory]
    [InlineData("55000", "FATAL")] // database is not currently accepting connections
    [InlineData("57P01", "FATAL")] // terminating connection due to administrator command
    [InlineData("57P03", "FATAL")] // the database system is starting up
    [InlineData("53300", "FATAL")] // too many connections
    [InlineData("08006", "ERROR")] // connection failure
    public void A_refused_or_ended_session_is_an_outage(string sqlState, string severity) =>
        Assert.NotNull(StorageFailures.Unavailable(Server(sqlState, severity)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("22021")] // NUL in text
    [InlineData("40001")] // serialization failure: the caller's to retry, not an outage
    public void A_refusal_of_the_statement_is_a_real_error(string sqlState) =>
        Assert.Null(StorageFailures.Unavailable(Server(sqlState)));

    [Fact]
    public void A_connection_that_never_opened_is_an_outage() =>
        Assert.NotNull(StorageFailures.Unavailable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void An_outage_wrapped_by_a_provider_or_an_aggregate_is_found() =>
        Assert.NotNull(StorageFailures.Unavailable(new InvalidOperationException("Error from storage provider",
            new AggregateException(new ArgumentException("other"), Server("57P01", "FATAL")))));

    [Fact]
    public void An_outage_already_translated_passes_on_unchanged()
    {
        var inner = new StorageUnavailableException("from the grain this one called");

        Assert.Same(inner, StorageFailures.Unavailable(inner));
        Assert.Same(inner, StorageFailures.Unavailable(new InvalidOperationException("wrapped", inner)));
    }

    [Fact]
    public void Other_failures_are_left_alone()
    {
        var bug = new InvalidOperationException("a bug");

        Assert.Null(StorageFailures.Unavailable(bug));
        Assert.Same(bug, StorageFailures.Translate(bug));
        Assert.Null(StorageFailures.Unavailable(new TimeoutException("a grain call timed out")));
    }
}
