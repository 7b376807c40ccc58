using Actors.Grains.Identity;

namespace Actors.Grains.Humans;

public sealed class HumanState
{
    public string? UserId { get; set; }
    public string Email { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<string> LinkIds { get; set; } = [];
    public List<string> MachineIds { get; set; } = [];
}

public sealed class HumanGrain(
    [PersistentState("human", "store")] IPersistentState<HumanState> human,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IHumanGrain
{
    /// <summary>Keeps the state small: a human with more links or machines than this is refused more.</summary>
    public const int MaxAttachments = 500;

    public async Task<HumanAccount> EnsureAccount()
    {
        if (human.State.UserId is not null) return Account(created: false);
        human.State = new HumanState
        {
            UserId = RandomToken.Id("usr"),
            Email = this.GetPrimaryKeyString()["hum_".Length..],
            CreatedAt = clock.GetUtcNow(),
        };
        await human.WriteStateAsync();
        return Account(created: true);
    }

    public Task<HumanAccount?> GetAccount() =>
        Task.FromResult(human.State.UserId is null ? null : Account(created: false));

    public Task<bool> AttachLink(string linkId) => Attach(human.State.LinkIds, linkId);

    public Task<bool> AttachMachine(string machineId) => Attach(human.State.MachineIds, machineId);

    public Task<HumanOverview?> GetOverview() =>
        Task.FromResult(human.State.UserId is null
            ? null
            : new HumanOverview(Account(created: false), [.. human.State.LinkIds], [.. human.State.MachineIds]));

    async Task<bool> Attach(List<string> list, string id)
    {
        if (human.State.UserId is null) await EnsureAccount();
        if (list.Contains(id)) return true;
        if (list.Count >= MaxAttachments) return false;
        list.Add(id);
        await human.WriteStateAsync();
        return true;
    }

    HumanAccount Account(bool created) => new(human.State.UserId!, human.State.Email, human.State.CreatedAt, created);
}
