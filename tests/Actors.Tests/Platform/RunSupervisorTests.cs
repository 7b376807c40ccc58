using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Platform;

/// <summary>
/// <c>./run</c> as a user runs it (its own data folder and ports, the Release build that the test
/// run just made): a killed silo and a killed PostgreSQL come back by themselves, and TERM still
/// stops everything and leaves no process behind.
/// </summary>
public sealed class RunSupervisorTests : IAsyncLifetime
{
    readonly string _root = RepositoryRoot();
    readonly string _data = Path.Combine("/tmp", "actors-run-test-" + Guid.NewGuid().ToString("N")[..12]);
    readonly int _apiPort = FreePort.Next();
    readonly StringBuilder _output = new();
    Process? _run;

    [Fact]
    public async Task A_killed_silo_and_a_killed_postgres_are_restarted_and_term_stops_everything()
    {
        foreach (var dll in new[] { "src/Silo/bin/Release/net10.0/Actors.Silo.dll", "src/Api/bin/Release/net10.0/Actors.Api.dll" })
            Assert.True(File.Exists(Path.Combine(_root, dll)), $"{dll} is missing: build the solution in Release first");

        _run = Start();
        await WaitFor(() => Output.Contains("Actors is running"), TimeSpan.FromSeconds(120), "./run to start");
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.Created, await Register(api));

        var silo = Pid("run/silo.pid");
        Kill9(silo);
        await WaitFor(() => Pid("run/silo.pid") != silo && Output.Contains("silo restarted"), TimeSpan.FromSeconds(30), "the silo's restart");
        await WaitForService(api, "after the silo was killed");

        var postmaster = Pid("postgres/postmaster.pid");
        Kill9(postmaster);
        await WaitFor(() => Output.Contains("PostgreSQL restarted") && Pid("postgres/postmaster.pid") != postmaster,
            TimeSpan.FromSeconds(45), "PostgreSQL's restart");
        await WaitForService(api, "after PostgreSQL was killed");

        int[] processes = [Pid("run/silo.pid"), Pid("run/api.pid"), Pid("postgres/postmaster.pid")];
        Signal(_run.Id, "TERM");
        using (var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            await _run.WaitForExitAsync(stopped.Token);
        Assert.True(_run.ExitCode == 0, $"./run exited {_run.ExitCode}\n{Output}");
        Assert.Contains("stop requested", Output);
        foreach (var pid in processes) Assert.False(Alive(pid), $"process {pid} outlived ./run\n{Output}");
    }

    string Output { get { lock (_output) return _output.ToString(); } }

    Process Start()
    {
        var info = new ProcessStartInfo(Path.Combine(_root, "run"))
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ACTORS_DATA_DIR"] = _data,
                ["ACTORS_SKIP_BUILD"] = "1",
                ["ACTORS_PG_PORT"] = FreePort.Next().ToString(),
                ["ACTORS_SILO_HTTP_PORT"] = FreePort.Next().ToString(),
                ["ACTORS_SILO_PORT"] = FreePort.Next().ToString(),
                ["ACTORS_GATEWAY_PORT"] = FreePort.Next().ToString(),
                ["ACTORS_API_PORT"] = _apiPort.ToString(),
                // A small PostgreSQL: the test machine runs the suite's own servers beside it.
                ["ACTORS_PG_TUNING"] = "-c shared_buffers=32MB",
            },
        };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<HttpStatusCode> Register(HttpClient api)
    {
        try
        {
            var response = await api.PostAsJsonAsync("/market/api/agents/register",
                new { name = Unique.Name("supervised"), description = "registered while ./run supervises" });
            return response.StatusCode;
        }
        catch (HttpRequestException) { return 0; }
        catch (TaskCanceledException) { return 0; }
    }

    /// <summary>The service is back when a grain-backed write succeeds; meanwhile the API answers 503, never 500.</summary>
    async Task WaitForService(HttpClient api, string what)
    {
        var clock = Stopwatch.StartNew();
        var seen = new List<HttpStatusCode>();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var status = await Register(api);
            if (status == HttpStatusCode.Created) return;
            seen.Add(status);
            Assert.True(status != HttpStatusCode.InternalServerError, $"a 500 {what}\n{Output}");
            Assert.False(_run!.HasExited, $"./run exited {what}\n{Output}");
            await Task.Delay(500);
        }
        Assert.Fail($"the service was not back within 60 s {what} (saw {string.Join(", ", seen.Distinct())})\n{Output}");
    }

    async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(_run!.HasExited, $"./run exited while waiting for {what}\n{Output}");
            Assert.True(clock.Elapsed < timeout, $"timed out waiting for {what}\n{Output}");
            await Task.Delay(250);
        }
    }

    int Pid(string file)
    {
        var path = Path.Combine(_data, file);
        return File.Exists(path) && int.TryParse(File.ReadLines(path).FirstOrDefault()?.Trim(), out var pid) ? pid : 0;
    }

    static void Kill9(int pid)
    {
        Assert.True(pid > 0 && Alive(pid), $"no live process {pid} to kill");
        Signal(pid, "KILL");
    }

    static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>Running, and not a zombie that nobody reaped.</summary>
    static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "run")) && File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("no repository root (with ./run) above " + AppContext.BaseDirectory);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever happened, nothing this test started keeps running, and its data folder goes.</summary>
    public async Task DisposeAsync()
    {
        if (_run is { HasExited: false })
        {
            Signal(_run.Id, "TERM");
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await _run.WaitForExitAsync(stopped.Token); }
            catch (OperationCanceledException) { _run.Kill(); }
        }
        foreach (var pid in new[] { Pid("run/silo.pid"), Pid("run/api.pid"), Pid("postgres/postmaster.pid") })
            if (pid > 0 && Alive(pid)) Signal(pid, "KILL");
        _run?.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
