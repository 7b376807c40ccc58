namespace Actors.Grains.Offset;

/// <summary>One preset usage band (monthly tokens → monthly offset amount in cents).</summary>
[GenerateSerializer, Immutable]
public sealed record UsageBand(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long MinMonthlyTokens,
    [property: Id(3)] long? MaxMonthlyTokens,
    [property: Id(4)] long MonthlyAmountCents,
    [property: Id(5)] string Description);

/// <summary>Either a band id or a custom monthly amount in cents (exactly one).</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChoice(
    [property: Id(0)] string? Band,
    [property: Id(1)] long? MonthlyAmountCents);

[GenerateSerializer, Immutable]
public sealed record LinkPlan(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Band,
    [property: Id(2)] long MonthlyAmountCents,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset SetAt);

/// <summary>A connected provider admin key as it may be shown: never the key, only a masked hint.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderConnection(
    [property: Id(0)] string Provider,
    [property: Id(1)] string KeyHint,
    [property: Id(2)] DateTimeOffset ConnectedAt);

/// <summary>The published usage bands, Casual → Extreme. Amounts are integer cents (USD).</summary>
public static class UsageBands
{
    public const string Currency = "usd";

    /// <summary>Bounds of a custom monthly amount (set-plan with monthlyAmountCents): $1 to $100,000.</summary>
    public const long MinCustomAmountCents = 100;
    public const long MaxCustomAmountCents = 10_000_000;

    public static readonly IReadOnlyList<UsageBand> All =
    [
        new("casual", "Casual", 0, 1_000_000, 100, "Occasional chats: up to 1M tokens a month."),
        new("regular", "Regular", 1_000_000, 5_000_000, 300, "Daily assistant use: 1M–5M tokens a month."),
        new("worker", "Worker", 5_000_000, 25_000_000, 1_000, "Agentic work most days: 5M–25M tokens a month."),
        new("power", "Power", 25_000_000, 100_000_000, 3_000, "Coding agents all day: 25M–100M tokens a month."),
        new("heavy", "Heavy", 100_000_000, 500_000_000, 10_000, "Many parallel agent loops: 100M–500M tokens a month."),
        new("extreme", "Extreme", 500_000_000, null, 30_000, "Fleets of agents: over 500M tokens a month."),
    ];

    public static UsageBand? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(b => string.Equals(b.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));
}
