namespace Actors.Grains.Access;

[StatelessWorker]
public sealed class ContentDiscoveryGrain(ContentPathStore paths) : Grain, IContentDiscoveryGrain
{
    public async Task<ContentTerms?> Discover(string domain, string path)
    {
        domain = AccessKeys.NormalizeDomain(domain);
        if (path.Length > AccessRules.MaxPath) return null;
        var contentId = await paths.Find(domain, path);
        return contentId is null ? null : await GrainFactory.GetGrain<IContentGrain>(AccessKeys.Content(domain, contentId)).GetTerms();
    }
}
