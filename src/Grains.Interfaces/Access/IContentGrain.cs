using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>One piece of content, keyed <c>cnt_{domain}/{contentId}</c>: tier, license, the text.</summary>
public interface IContentGrain : IGrainWithStringKey
{
    Task<Result<PublishedContent>> Put(string publisherId, ContentDraft draft);

    [ReadOnly]
    Task<ContentTerms?> GetTerms();

    [ReadOnly]
    Task<ContentDocument?> GetDocument();
}
