using Actors.Grains.Platform;
using Actors.Grains.Identity;

namespace Actors.Grains.Access;

[StatelessWorker]
public sealed class AccessRegistryGrain : Grain, IAccessRegistryGrain
{
    public Task<Result<OrgView>> CreateOrg(NewOrg org) =>
        GrainFactory.GetGrain<IOrgGrain>(RandomToken.Id("org")).Create(org);

    public async Task<Result<OrgView>> CreateOwnedOrg(string? name, string ownerHumanKey)
    {
        var human = GrainFactory.GetGrain<Humans.IHumanGrain>(ownerHumanKey);
        if (await human.GetAccount() is null) return Problem.NotFound("No account for this human");
        var created = await GrainFactory.GetGrain<IOrgGrain>(RandomToken.Id("org")).CreateOwned(name, ownerHumanKey);
        if (created.Problem is not null) return created;
        // An org the human's list cannot take stays unreachable (no keys, no credits): harmless.
        return await human.AttachOrg(created.Value!.Id)
            ? created
            : Problem.Conflict($"An account owns at most {Humans.HumanGrain.MaxAttachments} organisations");
    }

    public async Task<Result<PublisherView>> RegisterPublisher(string? domain, string? name)
    {
        if (AccessRules.CheckDomain("domain", domain) is { } problem) return problem;
        return await GrainFactory.GetGrain<IPublisherGrain>(AccessKeys.Publisher(domain!)).Register(name);
    }

    public async Task<Result<PublishedContent>> Publish(string domain, ContentDraft draft)
    {
        if (AccessRules.CheckDomain("domain", domain) is not null) return Problem.NotFound($"No publisher is registered for {domain}");
        return await GrainFactory.GetGrain<IPublisherGrain>(AccessKeys.Publisher(domain)).Publish(draft);
    }
}
