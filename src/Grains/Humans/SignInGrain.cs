using Actors.Grains.Platform;
using Actors.Grains.Email;
using Actors.Grains.Identity;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Humans;

[StatelessWorker]
public sealed class SignInGrain(
    EmailOutbox outbox,
    IOptions<ActorsOptions> actors,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ISignInGrain
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(7);
    /// <summary>Sign-in emails per address per 15 minutes (cluster-wide counter).</summary>
    public const int EmailsPerWindow = 5;

    public Task<Result<bool>> Begin(string? email, string? returnPath) => Send(email, returnPath, signUp: false);

    public Task<Result<bool>> BeginSignUp(string? email, string? returnPath) => Send(email, returnPath, signUp: true);

    async Task<Result<bool>> Send(string? email, string? returnPath, bool signUp)
    {
        if (string.IsNullOrWhiteSpace(email)) return Problem.Invalid("email", "email is required");
        if (AgentRules.CheckEmail("email", email) is { } bad) return bad;
        var humanKey = HumanKey.For(email);
        var limit = await GrainFactory.GetGrain<IRateLimitGrain>(RateLimitKey.For("signin-email", humanKey))
            .TryAcquire(EmailsPerWindow, TimeSpan.FromMinutes(15));
        if (!limit.Allowed)
            return Problem.TooManyRequests($"Too many sign-in emails for this address. Try again in {limit.RetryAfterSeconds} seconds.",
                limit.RetryAfterSeconds);

        // Unknown addresses get the same answer and, unless they sign up, no email: the page does
        // not reveal who has an account. A sign-up creates the account only when its link is used.
        var account = await GrainFactory.GetGrain<IHumanGrain>(humanKey).GetAccount();
        if (account is null && !signUp) return Result<bool>.Ok(false);

        var token = RandomToken.Base62(40);
        var tokenGrain = GrainFactory.GetGrain<ISignInTokenGrain>("sit_" + SecretHash.Of(token));
        var expiresAt = clock.GetUtcNow() + LinkLifetime;
        if (account is null) await tokenGrain.IssueSignUp(humanKey, expiresAt, ReturnPath.Safe(returnPath));
        else await tokenGrain.Issue(humanKey, expiresAt, ReturnPath.Safe(returnPath));
        var url = $"{actors.Value.PublicBaseUrl.TrimEnd('/')}/signin/confirm?token={token}";
        var (subject, purpose) = account is null
            ? ("Confirm your email to create your account", "create your account and sign in")
            : ("Your sign-in link", "sign in");
        await outbox.Enqueue(account?.Email ?? HumanKey.Normalize(email), subject, $"""
            Hello,

            Open this link to {purpose} (valid for {(int)LinkLifetime.TotalMinutes} minutes, once):
            {url}

            If you did not ask for this, ignore this email.

            """);
        return Result<bool>.Ok(true);
    }

    public async Task<Result<SessionIssued>> Complete(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return Problem.NotFound("This sign-in link is not valid");
        var redeemed = await GrainFactory.GetGrain<ISignInTokenGrain>("sit_" + SecretHash.Of(token)).Redeem();
        if (redeemed.Problem is { } problem) return problem;
        var humans = GrainFactory.GetGrain<IHumanGrain>(redeemed.Value!.HumanKey);
        var human = await humans.GetAccount();
        // Using a sign-up link proves the address: that is when the account is created.
        if (human is null && redeemed.Value.CreatesAccount) human = await humans.EnsureAccount();
        if (human is null) return Problem.NotFound("This sign-in link is not valid");

        var secret = RandomToken.Secret("hs");
        var expiresAt = clock.GetUtcNow() + SessionLifetime;
        await GrainFactory.GetGrain<IHumanSessionGrain>("hss_" + SecretHash.Of(secret))
            .Start(redeemed.Value.HumanKey, human.Email, expiresAt);
        return Result<SessionIssued>.Ok(new SessionIssued(secret, expiresAt, redeemed.Value.ReturnPath));
    }

}

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

public sealed class HumanSessionState
{
    public string? HumanKey { get; set; }
    public string Email { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public bool Ended { get; set; }
}

public sealed class HumanSessionGrain(
    [PersistentState("human-session", "store")] IPersistentState<HumanSessionState> session,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IHumanSessionGrain
{
    public async Task Start(string humanKey, string email, DateTimeOffset expiresAt)
    {
        if (session.State.HumanKey is not null) return;
        session.State = new HumanSessionState { HumanKey = humanKey, Email = email, ExpiresAt = expiresAt };
        await session.WriteStateAsync();
    }

    public Task<HumanSession?> Resolve() => Task.FromResult(
        session.State.HumanKey is { } key && !session.State.Ended && clock.GetUtcNow() < session.State.ExpiresAt
            ? new HumanSession(key, session.State.Email, session.State.ExpiresAt)
            : null);

    public async Task End()
    {
        if (session.State.HumanKey is null || session.State.Ended) return;
        session.State.Ended = true;
        await session.WriteStateAsync();
    }
}
