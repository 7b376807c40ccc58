namespace Actors.Grains.Access;

/// <summary>HEAD discovery: which content (if any) a publisher's path is.</summary>
public interface IContentDiscoveryGrain : IGrainWithStringKey
{
    /// <summary>Discovery has one key.</summary>
    const string Key = "content-discovery";

    [ReadOnly]
    Task<ContentTerms?> Discover(string domain, string path);
}
