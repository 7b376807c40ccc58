namespace Actors.Grains.Humans;

/// <summary>One human session, keyed <c>hss_</c> + SHA-256 of the cookie's secret.</summary>
public interface IHumanSessionGrain : IGrainWithStringKey
{
    /// <summary><paramref name="userId"/>: the account's <c>usr_…</c>, so a request knows it without asking the human's grain.</summary>
    Task Start(string humanKey, string email, DateTimeOffset expiresAt, string? userId = null);

    /// <summary>The signed-in human, or null when unknown, ended or expired.</summary>
    [ReadOnly]
    Task<HumanSession?> Resolve();

    Task End();
}

[GenerateSerializer, Immutable]
public sealed record HumanSession(
    [property: Id(0)] string HumanKey,
    [property: Id(1)] string Email,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string? UserId = null);
