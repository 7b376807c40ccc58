using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.Humans;

public sealed class HumanState
{
    public string? UserId { get; set; }
    public string Email { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<string> LinkIds { get; set; } = [];
    public List<string> MachineIds { get; set; } = [];
    /// <summary>Organisations this human created (and owns) on the Account page.</summary>
    public List<string> OrgIds { get; set; } = [];
    /// <summary>Agent key (agent id or <c>quick:</c> + product) → that agent's current link.</summary>
    public Dictionary<string, AgentLinkRef> AgentLinks { get; set; } = [];
    public DateTimeOffset? LastApprovalEmailAt { get; set; }
    /// <summary>What <see cref="LastApprovalEmailAt"/> was before the latest reservation: restored when it is given back.</summary>
    public DateTimeOffset? PreviousApprovalEmailAt { get; set; }
    public AgentLinkRef? ExclusiveLink { get; set; }
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
        // Fill in the account without dropping what an account-less grain already keeps (the last email time).
        human.State.UserId = RandomToken.Id("usr");
        human.State.Email = this.GetPrimaryKeyString()["hum_".Length..];
        human.State.CreatedAt = clock.GetUtcNow();
        await human.WriteStateAsync();
        return Account(created: true);
    }

    public Task<HumanAccount?> GetAccount() =>
        Task.FromResult(human.State.UserId is null ? null : Account(created: false));

    public Task<bool> AttachLink(string linkId) => Attach(human.State.LinkIds, linkId);

    public Task<bool> AttachMachine(string machineId) => Attach(human.State.MachineIds, machineId);

    public Task<bool> AttachOrg(string orgId) => Attach(human.State.OrgIds, orgId);

    public Task<IReadOnlyList<string>> GetOrgIds() => Task.FromResult<IReadOnlyList<string>>([.. human.State.OrgIds]);

    public Task<HumanOverview?> GetOverview() =>
        Task.FromResult(human.State.UserId is null
            ? null
            : new HumanOverview(Account(created: false), [.. human.State.LinkIds], [.. human.State.MachineIds]));

    public Task<AgentLinkRef?> FindAgentLink(string agentKey) =>
        Task.FromResult(human.State.AgentLinks.GetValueOrDefault(agentKey));

    public async Task<bool> SetAgentLink(string agentKey, AgentLinkRef link)
    {
        if (human.State.UserId is null) await EnsureAccount();
        var isNew = !human.State.LinkIds.Contains(link.LinkId);
        if (isNew && human.State.LinkIds.Count >= MaxAttachments) return false;
        if (!human.State.AgentLinks.ContainsKey(agentKey) && human.State.AgentLinks.Count >= MaxAttachments) return false;
        if (isNew) human.State.LinkIds.Add(link.LinkId);
        human.State.AgentLinks[agentKey] = link;
        await human.WriteStateAsync();
        return true;
    }

    public async Task<EmailAllowance> ReserveApprovalEmail(TimeSpan window)
    {
        var now = clock.GetUtcNow();
        if (human.State.LastApprovalEmailAt is { } last && now < last + window)
            return new EmailAllowance(false, Math.Max(1, (int)Math.Ceiling((last + window - now).TotalSeconds)));
        human.State.PreviousApprovalEmailAt = human.State.LastApprovalEmailAt;
        human.State.LastApprovalEmailAt = now;
        await human.WriteStateAsync();
        return new EmailAllowance(true, 0, now);
    }

    public async Task ReleaseApprovalEmail(DateTimeOffset reservedAt)
    {
        if (human.State.LastApprovalEmailAt != reservedAt) return; // a later reservation holds it, or given back already
        human.State.LastApprovalEmailAt = human.State.PreviousApprovalEmailAt;
        human.State.PreviousApprovalEmailAt = null;
        await human.WriteStateAsync();
    }

    public Task<AgentLinkRef?> GetExclusiveLink() => Task.FromResult(human.State.ExclusiveLink);

    public async Task SetExclusiveLink(string linkId, AgentLinkRef? link)
    {
        if (link is null && human.State.ExclusiveLink?.LinkId != linkId) return;
        human.State.ExclusiveLink = link;
        await human.WriteStateAsync();
    }

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
