namespace Actors.Grains.Memory;

/// <summary>
/// Which machine an agent belongs to, keyed by the agent id (<c>agt_…</c>): the lookup that
/// scopes every memory request to one machine's pool.
/// </summary>
public interface IMachineAgentGrain : IGrainWithStringKey
{
    /// <summary>Binds the agent to a machine; false when it is already bound to another one.</summary>
    Task<bool> Bind(string machineId);

    /// <summary>The machine id, or null when this agent is not a machine's agent.</summary>
    [ReadOnly]
    Task<string?> GetMachineId();
}
