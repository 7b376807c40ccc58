using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>A publisher, keyed <c>dom_{domain}</c> (see <see cref="AccessKeys"/>).</summary>
public interface IPublisherGrain : IGrainWithStringKey
{
    Task<Result<PublisherView>> Register(string? name);

    [ReadOnly]
    Task<PublisherView?> Get();

    /// <summary>Registers or replaces one piece of this publisher's content.</summary>
    Task<Result<PublishedContent>> Publish(ContentDraft draft);
}
