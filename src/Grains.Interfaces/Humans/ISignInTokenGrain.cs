using Actors.Grains.Platform;

namespace Actors.Grains.Humans;

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

[GenerateSerializer, Immutable]
public sealed record SignInRedeemed(
    [property: Id(0)] string HumanKey,
    [property: Id(1)] string? ReturnPath,
    [property: Id(2)] bool CreatesAccount = false);
