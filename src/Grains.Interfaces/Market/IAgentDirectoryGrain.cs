using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>Read-side search over the agent directory table (stateless worker).</summary>
public interface IAgentDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The directory has one key.</summary>
    const string Key = "directory";

    [ReadOnly]
    Task<Result<DirectoryPage>> Search(DirectorySearch search);
}
