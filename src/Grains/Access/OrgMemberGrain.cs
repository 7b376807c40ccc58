using Actors.Grains.Platform;

namespace Actors.Grains.Access;

public sealed class OrgMemberState
{
    public string? OrgId { get; set; }
}

public sealed class OrgMemberGrain(
    [PersistentState("org-member", "store")] IPersistentState<OrgMemberState> member) : Grain, IOrgMemberGrain
{
    public async Task<bool> Join(string orgId)
    {
        if (member.State.OrgId is { } current) return current == orgId;
        member.State.OrgId = orgId;
        await member.WriteStateAsync();
        return true;
    }

    public Task<string?> GetOrgId() => Task.FromResult(member.State.OrgId);

    public Task<Result<SubscriptionStatus>> GetSubscription() =>
        member.State.OrgId is { } orgId ? GrainFactory.GetGrain<IOrgGrain>(orgId).GetSubscription() : Task.FromResult<Result<SubscriptionStatus>>(NoOrg);

    public Task<Result<Authorization>> Authorize(AuthorizeCommand command) =>
        member.State.OrgId is { } orgId
            ? GrainFactory.GetGrain<IOrgGrain>(orgId).Authorize(this.GetPrimaryKeyString(), command)
            : Task.FromResult<Result<Authorization>>(NoOrg);

    internal static Problem NoOrg => new(ProblemKind.Forbidden,
        "This API key belongs to no organisation with an access subscription; use an agnt_ key from your Account page");
}
