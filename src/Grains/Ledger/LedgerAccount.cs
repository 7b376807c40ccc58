namespace Actors.Grains.Ledger;

/// <summary>
/// Ledger account ids. One place names them so every surface agrees on whose money is where.
/// </summary>
public static class LedgerAccount
{
    /// <summary>Outside the system: deposits come from it, withdrawals go to it; the only account that may go negative.</summary>
    public const string World = "world";

    /// <summary>The platform's own revenue (fees).</summary>
    public const string Platform = "platform";

    public static string AgentWallet(string agentId) => "wallet:" + agentId;

    public static string OrgCredits(string orgId) => "org-credits:" + orgId;

    public static string PublisherRevenue(string publisherId) => "publisher:" + publisherId;

    public static string EscrowHold(string holdId) => "escrow:" + holdId;
}
