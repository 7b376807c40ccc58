using Actors.Grains.Common;
using Actors.Grains.Identity;

namespace Actors.Grains.Access;

[StatelessWorker]
public sealed class AccessRegistryGrain : Grain, IAccessRegistryGrain
{
    public Task<Result<OrgView>> CreateOrg(NewOrg org) =>
        GrainFactory.GetGrain<IOrgGrain>(RandomToken.Id("org")).Create(org);

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
