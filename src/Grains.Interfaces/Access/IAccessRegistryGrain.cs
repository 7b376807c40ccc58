using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>Stateless entry point for provisioning ("access-registry"): validates, picks ids, hands over.</summary>
public interface IAccessRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry has one key.</summary>
    const string Key = "access-registry";

    Task<Result<OrgView>> CreateOrg(NewOrg org);

    /// <summary>An org created by a human on the Account page, owned by them (see <see cref="IOrgGrain.CreateOwned"/>).</summary>
    Task<Result<OrgView>> CreateOwnedOrg(string? name, string ownerHumanKey);

    Task<Result<PublisherView>> RegisterPublisher(string? domain, string? name);

    Task<Result<PublishedContent>> Publish(string domain, ContentDraft draft);
}
