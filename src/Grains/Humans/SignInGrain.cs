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
            .Start(redeemed.Value.HumanKey, human.Email, expiresAt, human.UserId);
        return Result<SessionIssued>.Ok(new SessionIssued(secret, expiresAt, redeemed.Value.ReturnPath));
    }

}
