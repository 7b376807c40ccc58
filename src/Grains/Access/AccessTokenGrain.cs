using Actors.Grains.Common;

namespace Actors.Grains.Access;

public sealed class AccessTokenState
{
    public AccessGrant? Grant { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// Single use and expiring: both are checked on every redemption against the domain clock;
/// the reminder only deletes the state of a token that can no longer be used.
/// </summary>
public sealed class AccessTokenGrain(
    [PersistentState("access-token", "store")] IPersistentState<AccessTokenState> token,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IAccessTokenGrain, IRemindable
{
    const string CleanupReminder = "cleanup";

    public async Task Issue(AccessGrant grant)
    {
        if (token.State.Grant is not null) return; // a 238-bit random token is never issued twice
        token.State = new AccessTokenState { Grant = grant };
        await token.WriteStateAsync();
        var due = grant.ExpiresAt - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(CleanupReminder,
            due > TimeSpan.Zero ? due : TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }

    public async Task<Result<ContentDocument>> Redeem(string domain, string contentId)
    {
        if (token.State.Grant is not { } grant) return new Problem(ProblemKind.Unauthorized, "Invalid or expired access token");
        if (grant.Domain != AccessKeys.NormalizeDomain(domain) || grant.ContentId != contentId)
            return new Problem(ProblemKind.Forbidden, "This access token was issued for other content");
        if (token.State.UsedAt is not null) return Problem.Gone("This access token has already been used; tokens are single-use");
        if (clock.GetUtcNow() >= grant.ExpiresAt) return Problem.Gone("This access token has expired; tokens are valid for 5 minutes");

        var document = await GrainFactory.GetGrain<IContentGrain>(AccessKeys.Content(grant.Domain, grant.ContentId)).GetDocument();
        if (document is null) return Problem.NotFound("This content is no longer available");
        token.State.UsedAt = clock.GetUtcNow();
        await token.WriteStateAsync();
        return Result<ContentDocument>.Ok(document);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (token.State.Grant is { } grant && clock.GetUtcNow() < grant.ExpiresAt) return;
        if (token.RecordExists) await token.ClearStateAsync();
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
    }
}
