using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>
/// One single-use access token, keyed <c>at_</c> + SHA-256 of the token (see <see cref="AccessKeys.Token"/>).
/// Valid for one fetch of one piece of content until it expires. Tokens are issued by the
/// org's authorization, in the ledger transaction that pays for them.
/// </summary>
public interface IAccessTokenGrain : IGrainWithStringKey
{
    /// <summary>Uses the token for the content it was issued for and returns the content, once.</summary>
    Task<Result<ContentDocument>> Redeem(string domain, string contentId);
}
