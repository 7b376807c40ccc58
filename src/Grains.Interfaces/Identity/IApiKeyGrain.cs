namespace Actors.Grains.Identity;

/// <summary>One issued API key, keyed by <c>key_</c> + SHA-256 of the key. Holds no secret.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds this key hash to an agent; false if the hash is already bound.</summary>
    Task<bool> Issue(string agentId, string prefix);

    /// <summary>The agent this key acts for, or null when unknown or revoked.</summary>
    [ReadOnly]
    Task<ApiKeyOwner?> Resolve();

    Task Revoke();
}

[GenerateSerializer, Immutable]
public sealed record ApiKeyOwner(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string Prefix);
