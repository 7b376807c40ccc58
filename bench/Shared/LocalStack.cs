using System.Globalization;

namespace Actors.Bench;

/// <summary>
/// How every load generator starts: numbers printed with '.' whatever the machine's culture, only
/// against a local stack, only once its API is ready, and with the CPU of the stack's processes
/// read from its data folder.
/// </summary>
public static class LocalStack
{
    public static void InvariantNumbers() =>
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

    /// <summary>Exit code 2 (said why) for a URL off this machine; null to go on.</summary>
    public static int? Refusal(Uri url)
    {
        if (url.IsLoopback) return null;
        Console.Error.WriteLine("--url must be a loopback address (this benchmark is for the local stack)");
        return 2;
    }

    /// <summary>Exit code 1 (said why) when the API does not answer ready; null to go on.</summary>
    public static async Task<int?> NotReady(HttpClient http)
    {
        try
        {
            (await http.GetAsync("/health/ready")).EnsureSuccessStatusCode();
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"the API at {http.BaseAddress} is not ready ({e.Message}): start the stack with ./run first");
            return 1;
        }
    }

    /// <summary>The stack's processes found from <paramref name="dataDir"/>, printed (with <paramref name="more"/>) and any missing said.</summary>
    public static ProcessCpu Cpu(Uri url, string dataDir, string more = "")
    {
        var cpu = new ProcessCpu(dataDir);
        Console.WriteLine($"stack: {url} ({cpu.Describe()} from {dataDir}){more}");
        if (!cpu.Complete) Console.WriteLine("warning: some PIDs are missing; their CPU is reported as 0");
        return cpu;
    }
}
