namespace Actors.Grains.Humans;

/// <summary>
/// One human account, keyed by <c>hum_</c> + the normalized email (see <see cref="HumanKey"/>).
/// Shared by every surface: the humans who approve links, claim machines and own agents.
/// </summary>
public interface IHumanGrain : IGrainWithStringKey
{
    /// <summary>Creates the account on the first call; later calls find it (<c>Created</c> false).</summary>
    Task<HumanAccount> EnsureAccount();

    [ReadOnly]
    Task<HumanAccount?> GetAccount();

    /// <summary>Records an agent link this human approved or was asked to; false when the account is full.</summary>
    Task<bool> AttachLink(string linkId);

    /// <summary>Records a machine account merged into this human; false when the account is full.</summary>
    Task<bool> AttachMachine(string machineId);

    [ReadOnly]
    Task<HumanOverview?> GetOverview();
}

public static class HumanKey
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string For(string email) => "hum_" + Normalize(email);
}

[GenerateSerializer, Immutable]
public sealed record HumanAccount(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Email,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] bool Created);

[GenerateSerializer, Immutable]
public sealed record HumanOverview(
    [property: Id(0)] HumanAccount Account,
    [property: Id(1)] IReadOnlyList<string> LinkIds,
    [property: Id(2)] IReadOnlyList<string> MachineIds);
