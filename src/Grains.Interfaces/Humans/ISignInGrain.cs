using Actors.Grains.Platform;

namespace Actors.Grains.Humans;

/// <summary>
/// Magic-link sign-in for humans, shared by every surface's pages: an emailed single-use link
/// whose confirmation page POSTs back, then a session (an opaque secret in a cookie).
/// Stateless worker keyed "signin".
/// </summary>
public interface ISignInGrain : IGrainWithStringKey
{
    /// <summary>The sign-in worker has one key.</summary>
    const string Key = "signin";

    /// <summary>Emails a sign-in link when an account exists for the address; answers the same either way.</summary>
    Task<Result<bool>> Begin(string? email, string? returnPath);

    /// <summary>
    /// Like <see cref="Begin"/>, but an address without an account is emailed too: its link
    /// creates the account when used. Answers the same for known and unknown addresses.
    /// </summary>
    Task<Result<bool>> BeginSignUp(string? email, string? returnPath);

    /// <summary>Redeems the emailed token (once) and opens a session; the secret is returned once.</summary>
    Task<Result<SessionIssued>> Complete(string? token);
}

/// <summary>One emailed sign-in link, keyed <c>sit_</c> + SHA-256 of its token.</summary>
public interface ISignInTokenGrain : IGrainWithStringKey
{
    Task Issue(string humanKey, DateTimeOffset expiresAt, string? returnPath);

    /// <summary>A link for an address with no account yet: redeeming it creates the account.</summary>
    Task IssueSignUp(string humanKey, DateTimeOffset expiresAt, string? returnPath);

    [ReadOnly]
    Task<bool> IsUsable();

    Task<Result<SignInRedeemed>> Redeem();
}

/// <summary>One human session, keyed <c>hss_</c> + SHA-256 of the cookie's secret.</summary>
public interface IHumanSessionGrain : IGrainWithStringKey
{
    Task Start(string humanKey, string email, DateTimeOffset expiresAt);

    /// <summary>The signed-in human, or null when unknown, ended or expired.</summary>
    [ReadOnly]
    Task<HumanSession?> Resolve();

    Task End();
}

[GenerateSerializer, Immutable]
public sealed record SignInRedeemed(
    [property: Id(0)] string HumanKey,
    [property: Id(1)] string? ReturnPath,
    [property: Id(2)] bool CreatesAccount = false);

[GenerateSerializer, Immutable]
public sealed record SessionIssued(
    [property: Id(0)] string Secret,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string? ReturnPath);

[GenerateSerializer, Immutable]
public sealed record HumanSession(
    [property: Id(0)] string HumanKey,
    [property: Id(1)] string Email,
    [property: Id(2)] DateTimeOffset ExpiresAt);

public static class ReturnPath
{
    /// <summary>Only a local path may be a return target after sign-in (no open redirects).</summary>
    public static string? Safe(string? path) =>
        path is { Length: > 0 and <= 500 } && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal)
            && !path.Contains('\\') && !path.Any(char.IsControl)
            ? path : null;
}
