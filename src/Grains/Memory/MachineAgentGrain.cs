namespace Actors.Grains.Memory;

public sealed class MachineAgentState
{
    public string? MachineId { get; set; }
}

public sealed class MachineAgentGrain(
    [PersistentState("machine-agent", "store")] IPersistentState<MachineAgentState> binding) : Grain, IMachineAgentGrain
{
    public async Task<bool> Bind(string machineId)
    {
        if (binding.State.MachineId is { } bound) return bound == machineId;
        binding.State.MachineId = machineId;
        await binding.WriteStateAsync();
        return true;
    }

    public Task<string?> GetMachineId() => Task.FromResult(binding.State.MachineId);
}
