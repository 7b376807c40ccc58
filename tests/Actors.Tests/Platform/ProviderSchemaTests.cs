using System.Diagnostics;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Tests.Platform;

/// <summary>Every path of our PostgreSQL schema for the Orleans providers, through the real providers.</summary>
[Collection(StackCollection.Name)]
public sealed class ProviderSchemaTests(ActorsStack stack)
{
    [Fact]
    public async Task Grain_state_reads_writes_and_clears_with_etag_conflicts()
    {
        var storage = stack.SiloServices.GetRequiredKeyedService<IGrainStorage>("store");
        var grainId = GrainId.Create("test-state", "tst_" + Guid.NewGuid().ToString("N"));
        var first = new GrainState<ReminderProbeState>(new ReminderProbeState());

        await storage.ReadStateAsync("test-state", grainId, first);
        Assert.False(first.RecordExists);

        first.State!.Ticks = 1;
        await storage.WriteStateAsync("test-state", grainId, first);
        Assert.NotNull(first.ETag);

        var second = new GrainState<ReminderProbeState>(new ReminderProbeState());
        await storage.ReadStateAsync("test-state", grainId, second);
        Assert.True(second.RecordExists);
        Assert.Equal(1, second.State!.Ticks);

        second.State!.Ticks = 2;
        await storage.WriteStateAsync("test-state", grainId, second);

        first.State!.Ticks = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("test-state", grainId, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("test-state", grainId, first));

        var fresh = new GrainState<ReminderProbeState>(new ReminderProbeState());
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("test-state", grainId, fresh));

        await storage.ClearStateAsync("test-state", grainId, second);
        var afterClear = new GrainState<ReminderProbeState>(new ReminderProbeState());
        await storage.ReadStateAsync("test-state", grainId, afterClear);
        Assert.False(afterClear.RecordExists);
        Assert.Equal(0, afterClear.State!.Ticks);

        Assert.Equal(1L, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE grain_id_ext LIKE @key", ("key", "%" + grainId.Key + "%")))!);
    }

    [Fact]
    public async Task Reminders_register_fire_survive_a_silo_restart_and_unregister()
    {
        var grains = stack.SiloServices.GetRequiredService<IGrainFactory>();
        var id = "rmd_" + Guid.NewGuid().ToString("N");
        await grains.GetGrain<IReminderProbeGrain>(id).Start(TimeSpan.FromSeconds(1));

        await Eventually(async () => await stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(id).Ticks() >= 2);

        await stack.StopSilo();
        await stack.StartSilo();
        var afterRestart = await stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(id).Ticks();
        await Eventually(async () => await stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(id).Ticks() > afterRestart);

        var probe = stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(id);
        await probe.Stop();
        var table = stack.SiloServices.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(probe.GetGrainId());
        Assert.Empty(rows.Reminders);
    }

    [Fact]
    public async Task Membership_records_a_joining_silo_its_death_and_a_graceful_leave()
    {
        var joining = StartChildSilo();
        try
        {
            await Eventually(async () => await MembershipStatus(joining.SiloPort) == (int)SiloStatus.Active, TimeSpan.FromSeconds(60));
            joining.Process.Kill(entireProcessTree: true);
            await Eventually(async () => await MembershipStatus(joining.SiloPort) == (int)SiloStatus.Dead, TimeSpan.FromSeconds(60));
            await UntilTheStackSilo(knowsDead: joining.SiloPort);
        }
        finally
        {
            if (!joining.Process.HasExited) joining.Process.Kill(entireProcessTree: true);
        }

        var leaving = StartChildSilo();
        try
        {
            await Eventually(async () => await MembershipStatus(leaving.SiloPort) == (int)SiloStatus.Active, TimeSpan.FromSeconds(60));
            Process.Start("kill", ["-TERM", leaving.Process.Id.ToString()]).WaitForExit();
            await Eventually(async () => await MembershipStatus(leaving.SiloPort) == (int)SiloStatus.Dead, TimeSpan.FromSeconds(60));
            Assert.True(leaving.Process.WaitForExit(TimeSpan.FromSeconds(30)));
            await UntilTheStackSilo(knowsDead: leaving.SiloPort);
        }
        finally
        {
            if (!leaving.Process.HasExited) leaving.Process.Kill(entireProcessTree: true);
        }
    }

    (Process Process, int SiloPort) StartChildSilo()
    {
        var siloPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Actors.Silo.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{FreePort.Next()}");
        info.Environment["ConnectionStrings__Actors"] = stack.Postgres.ConnectionString;
        info.Environment["Actors__MailDropPath"] = stack.MailDrop;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in stack.SiloSettings(siloPort, FreePort.Next()))
            info.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, siloPort);
    }

    async Task<int?> MembershipStatus(int siloPort) =>
        await stack.Postgres.Scalar("SELECT status FROM orleans_membership WHERE port = @port ORDER BY generation DESC LIMIT 1",
            ("port", siloPort)) is int status ? status : null;

    /// <summary>
    /// The table says Dead before the shared silo's own view does; until it does, that silo may still
    /// place new activations on the gone one, and later tests' calls would wait out the retries.
    /// </summary>
    async Task UntilTheStackSilo(int knowsDead)
    {
        var membership = stack.SiloServices.GetRequiredService<IClusterMembershipService>();
        await Eventually(async () =>
        {
            await membership.Refresh();
            return !membership.CurrentSnapshot.Members.Values.Any(m => m.SiloAddress.Endpoint.Port == knowsDead && m.Status != SiloStatus.Dead);
        }, TimeSpan.FromSeconds(60));
    }

    static async Task Eventually(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        Assert.Fail("The condition did not become true in time");
    }
}
