namespace Actors.Tests.Platform;

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);
    Task Stop();
    Task<int> Ticks();
}

public sealed class ReminderProbeState
{
    public int Ticks { get; set; }
}

/// <summary>Counts its reminder's ticks in persisted state, so the count survives a silo restart.</summary>
public sealed class ReminderProbeGrain(
    [PersistentState("test-reminder-probe", "store")] IPersistentState<ReminderProbeState> probe)
    : Grain, IReminderProbeGrain, IRemindable
{
    const string ReminderName = "probe";

    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(1), period);

    public async Task Stop()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    public Task<int> Ticks() => Task.FromResult(probe.State.Ticks);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.State.Ticks++;
        await probe.WriteStateAsync();
    }
}
