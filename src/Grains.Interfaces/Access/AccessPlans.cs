namespace Actors.Grains.Access;

/// <summary>
/// The plans a human can buy on the Account page: a monthly credit limit for a monthly price in
/// US cents. Operators may still provision any plan name and limit through the admin API.
/// </summary>
public static class AccessPlans
{
    /// <summary>The plan of an organisation a human created and has not paid for: no credits.</summary>
    public const string None = "None";

    /// <summary>Names of organisations created on the Account page are at most this long.</summary>
    public const int MaxOrgName = 100;

    public static readonly IReadOnlyList<AccessPlan> All =
    [
        new("Starter", 100, 1_900),
        new("Professional", 1_000, 7_900),
        new("Scale", 10_000, 49_900),
    ];

    public static AccessPlan? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
