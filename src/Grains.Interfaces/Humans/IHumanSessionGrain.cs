namespace Actors.Grains.Humans;

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
public sealed record HumanSession(
    [property: Id(0)] string HumanKey,
    [property: Id(1)] string Email,
    [property: Id(2)] DateTimeOffset ExpiresAt);
