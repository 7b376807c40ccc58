using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// Every log line a stack's silo and API write, appended to a temporary file, so a test can read
/// what an operator's log would hold (the secrets test looks for secrets in it). Captures what
/// the hosts' own <c>appsettings.json</c> lets through in production (Information, Warning for
/// ASP.NET Core and Orleans), whatever the test stack's quieter console settings are.
/// </summary>
public sealed class LogCapture
{
    static readonly ConditionalWeakTable<ActorsStack, LogCapture> Stacks = new();
    readonly Lock _lock = new();
    readonly StreamWriter _writer;
    bool _closed;

    LogCapture()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"actors-log-{Guid.NewGuid():N}.txt");
        _writer = new StreamWriter(File.Open(Path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (_lock) { _closed = true; _writer.Dispose(); }
            try { File.Delete(Path); } catch (IOException) { }
        };
    }

    /// <summary>The capture of one stack (one file for its silo and API).</summary>
    public static LogCapture Of(ActorsStack stack) => Stacks.GetValue(stack, _ => new LogCapture());

    public string Path { get; }

    /// <summary>Registers the capture on a host's logging, with production's levels.</summary>
    public void AddTo(ILoggingBuilder logging, string host) =>
        logging.AddProvider(new HostLogs(this, host)).AddFilter<HostLogs>((category, level) =>
            level >= (category is not null && (category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || category.StartsWith("Orleans", StringComparison.Ordinal) || category.StartsWith("Polly", StringComparison.Ordinal))
                ? LogLevel.Warning : LogLevel.Information));

    /// <summary>The lines written so far (a line is one log entry with its exception, if any).</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_lock)
        {
            using var reader = new StreamReader(File.Open(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    void Write(string line)
    {
        lock (_lock) if (!_closed) _writer.WriteLine(line);
    }

    sealed class HostLogs(LogCapture capture, string host) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(capture, host, categoryName);
        public void Dispose() { }
    }

    sealed class Logger(LogCapture capture, string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"{host} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
            // The structured values too: a secret passed as a parameter but left out of the message is still in the log's record.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                text += " {" + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}")) + "}";
            capture.Write(text.ReplaceLineEndings(" \\n "));
        }
    }
}
