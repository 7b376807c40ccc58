namespace Actors.Grains.Offset;

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
