using Actors.Grains.Platform;

namespace Actors.Grains.Humans;

public sealed class SignInTokenState
{
    public string? HumanKey { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? ReturnPath { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public bool CreatesAccount { get; set; }
}

public sealed class SignInTokenGrain(
    [PersistentState("signin-token", "store")] IPersistentState<SignInTokenState> token,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ISignInTokenGrain
{
    public async Task Issue(string humanKey, DateTimeOffset expiresAt, string? returnPath)
    {
        if (token.State.HumanKey is not null) return;
        token.State = new SignInTokenState { HumanKey = humanKey, ExpiresAt = expiresAt, ReturnPath = returnPath };
        await token.WriteStateAsync();
    }

    public async Task IssueSignUp(string humanKey, DateTimeOffset expiresAt, string? returnPath)
    {
        if (token.State.HumanKey is not null) return;
        token.State = new SignInTokenState { HumanKey = humanKey, ExpiresAt = expiresAt, ReturnPath = returnPath, CreatesAccount = true };
        await token.WriteStateAsync();
    }

    public Task<bool> IsUsable() => Task.FromResult(
        token.State.HumanKey is not null && token.State.RedeemedAt is null && clock.GetUtcNow() < token.State.ExpiresAt);

    public async Task<Result<SignInRedeemed>> Redeem()
    {
        if (token.State.HumanKey is not { } humanKey) return Problem.NotFound("This sign-in link is not valid");
        if (token.State.RedeemedAt is not null) return Problem.Conflict("This sign-in link was already used; ask for a new one");
        if (clock.GetUtcNow() >= token.State.ExpiresAt) return Problem.Gone("This sign-in link expired; ask for a new one");
        token.State.RedeemedAt = clock.GetUtcNow();
        await token.WriteStateAsync();
        return Result<SignInRedeemed>.Ok(new SignInRedeemed(humanKey, token.State.ReturnPath, token.State.CreatesAccount));
    }
}
