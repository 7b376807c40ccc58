using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actors.Bench;

/// <summary>CPU seconds used so far by each process of the stack ./run started, and by this generator.</summary>
public sealed record CpuSnapshot(double Silo, double Api, double Postgres, double Generator, double MachineBusy, double MachineTotal);

/// <summary>
/// Reads utime+stime from <c>/proc/&lt;pid&gt;/stat</c> (every thread of the process) for the silo
/// and the API (PIDs in <c>&lt;data&gt;/run/*.pid</c>) and for PostgreSQL: the postmaster, its live
/// children (the backends) and, through its cutime+cstime, the children that exited already.
/// The PIDs are read once: a process ./run restarts mid-run would be measured wrongly, so the
/// report says when one of them is gone.
/// </summary>
public sealed class ProcessCpu
{
    readonly int? _silo, _api, _postmaster;
    readonly double _ticksPerSecond = ClockTicks();

    public ProcessCpu(string dataDir)
    {
        _silo = ReadPid(Path.Combine(dataDir, "run", "silo.pid"));
        _api = ReadPid(Path.Combine(dataDir, "run", "api.pid"));
        _postmaster = ReadPid(Path.Combine(dataDir, "postgres", "postmaster.pid"));
    }

    public string Describe() =>
        $"silo pid {_silo?.ToString() ?? "?"}, api pid {_api?.ToString() ?? "?"}, postmaster pid {_postmaster?.ToString() ?? "?"}";

    public bool Complete => _silo is not null && _api is not null && _postmaster is not null;

    public CpuSnapshot Take()
    {
        var (busy, total) = MachineTicks();
        return new CpuSnapshot(
            Seconds(_silo, children: false), Seconds(_api, children: false), PostgresSeconds(),
            GeneratorSeconds(),
            busy / _ticksPerSecond, total / _ticksPerSecond);
    }

    static double GeneratorSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    double Seconds(int? pid, bool children) => pid is { } p && Stat(p) is { } f
        ? (f[11] + f[12] + (children ? f[13] + f[14] : 0)) / _ticksPerSecond : 0;

    double PostgresSeconds()
    {
        if (_postmaster is not { } pm) return 0;
        var total = Seconds(pm, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == pm) continue;
            if (Stat(pid) is { } f && f[1] == pm) total += (f[11] + f[12]) / _ticksPerSecond;
        }
        return total;
    }

    /// <summary>The fields after the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    static long[]? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // The command name is in parentheses and may itself contain spaces or parentheses.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var fields = new long[15];
        for (var i = 1; i < fields.Length && i < rest.Length; i++) long.TryParse(rest[i], out fields[i]);
        return fields;
    }

    /// <summary>All CPUs together, from /proc/stat: ticks busy (not idle or iowait) and ticks in all.</summary>
    static (double Busy, double Total) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
        var total = cpu.Take(8).Sum();
        return (total - cpu[3] - cpu[4], total);
    }

    static int? ReadPid(string file)
    {
        try { return int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    static extern long SysConf(int name);

    static double ClockTicks()
    {
        const int ScClkTck = 2;
        try { return SysConf(ScClkTck) is > 0 and var hz ? hz : 100; }
        catch (DllNotFoundException) { return 100; }
        catch (EntryPointNotFoundException) { return 100; }
    }
}
