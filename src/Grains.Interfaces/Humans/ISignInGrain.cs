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

[GenerateSerializer, Immutable]
public sealed record SessionIssued(
    [property: Id(0)] string Secret,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string? ReturnPath);
