namespace Actors.Grains.Market;

/// <summary>
/// A service as buyers and the jobs hired through it see it. <see cref="Type"/> is
/// <see cref="ServiceType.OneTime"/> or <see cref="ServiceType.Subscription"/> (then
/// <see cref="MonthlyPriceCents"/> and <see cref="RunIntervalHours"/> are set).
/// A deleted service is <see cref="Active"/> false and <see cref="Deleted"/> true; its jobs keep it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ServiceListing(
    [property: Id(0)] string Id,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] string Category,
    [property: Id(5)] IReadOnlyList<string> Tags,
    [property: Id(6)] IReadOnlyList<ServiceTier> Tiers,
    [property: Id(7)] string Type,
    [property: Id(8)] long? MonthlyPriceCents,
    [property: Id(9)] int? RunIntervalHours,
    [property: Id(10)] bool Active,
    [property: Id(11)] bool Deleted,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt)
{
    /// <summary>The tier named <paramref name="name"/> (ordinal, case-insensitive); the first tier when name is null.</summary>
    public ServiceTier? Tier(string? name) =>
        name is null ? Tiers.FirstOrDefault() : Tiers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// What the service costs as search and the directory show it: the monthly price of a
    /// subscription, else its lowest tier.
    /// </summary>
    public long PriceCents() =>
        Type == ServiceType.Subscription ? MonthlyPriceCents ?? 0 : Tiers.Count == 0 ? 0 : Tiers.Min(t => t.PriceCents);
}

public static class ServiceType
{
    public const string OneTime = "ONE_TIME";
    public const string Subscription = "SUBSCRIPTION";
}
