using Microsoft.Extensions.Logging;

namespace Actors.Grains.Identity;

/// <summary>
/// Undo for a grain that registered an agent for its own purpose (an organisation's key, a
/// machine's agent) and then failed to record it: the key, never shown, is revoked so no leftover
/// authenticates (issue 12, both or neither). Best effort: the caller answers the failure anyway.
/// </summary>
public static class IssuedKeys
{
    public static async Task RevokeUnshown(IGrainFactory grains, string apiKey, ILogger logger)
    {
        try
        {
            await grains.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(apiKey)).Revoke();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A key issued for a change that then failed could not be revoked; it was never shown");
        }
    }
}
