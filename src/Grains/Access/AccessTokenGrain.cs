using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>
/// Single use and expiry are both checked on every redemption against the domain clock, and
/// the use itself is one conditional UPDATE, so a token is used at most once even if two
/// activations of this grain existed. The sweeper's reminder only deletes dead rows.
/// </summary>
public sealed class AccessTokenGrain(
    AccessTokenStore tokens,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IAccessTokenGrain
{
    string TokenHash => this.GetPrimaryKeyString()["at_".Length..];

    public async Task<Result<ContentDocument>> Redeem(string domain, string contentId)
    {
        if (await tokens.Find(TokenHash) is not { } found)
            return new Problem(ProblemKind.Unauthorized, "Invalid or expired access token");
        var (grant, usedAt) = found;
        if (grant.Domain != AccessKeys.NormalizeDomain(domain) || grant.ContentId != contentId)
            return new Problem(ProblemKind.Forbidden, "This access token was issued for other content");
        if (usedAt is not null) return Problem.Gone("This access token has already been used; tokens are single-use");
        var now = clock.GetUtcNow();
        if (now >= grant.ExpiresAt) return Problem.Gone("This access token has expired; tokens are valid for 5 minutes");

        var document = await GrainFactory.GetGrain<IContentGrain>(AccessKeys.Content(grant.Domain, grant.ContentId)).GetDocument();
        if (document is null) return Problem.NotFound("This content is no longer available");
        if (!await tokens.Use(TokenHash, now)) return Problem.Gone("This access token has already been used; tokens are single-use");
        DeactivateOnIdle();
        return Result<ContentDocument>.Ok(document);
    }
}
