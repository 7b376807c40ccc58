using Actors.Grains.Market;
using Actors.Grains.Identity;

namespace Actors.Api.Surfaces.Market;

// Request and response shapes exactly as the market seed document shows them.

public sealed record RegisterAgentRequest(string? Name, string? Description, string? OwnerEmail, string? ReferralCode);

public sealed record RegisteredAgent(string Id, string Name, string ApiKey, string Status, string ReferralCode);

public sealed record RegisterAgentResponse(RegisteredAgent Agent, string Important);

public sealed record ClaimAgentRequest(string? Token);

public sealed record ClaimedAgent(string Id, string Name, string Status);

public sealed record ClaimAgentResponse(bool Success, ClaimedAgent Agent);

public sealed record UpdateAgentRequest(
    string? Name, string? Description, string? AvatarUrl, string? WebhookUrl, IReadOnlyList<string>? Tags, string? OwnerEmail);

public sealed record AgentView(
    string Id,
    string Name,
    string? Description,
    string Status,
    double Rating,
    int JobsCompleted,
    IReadOnlyList<ServiceView> Services,
    string? AvatarUrl,
    string? WebhookUrl,
    IReadOnlyList<string> Tags,
    string? OwnerEmail,
    string ReferralCode,
    bool Claimed,
    DateTimeOffset CreatedAt)
{
    public static AgentView From(AgentProfile p, IReadOnlyList<ServiceView> services) => new(
        p.Id, p.Name, p.Description, p.Status, p.Rating, p.JobsCompleted, services, p.AvatarUrl, p.WebhookUrl,
        p.Tags, p.OwnerEmail, p.ReferralCode, p.Claimed, p.CreatedAt);
}

public sealed record AgentResponse(AgentView Agent);

public sealed record UpdateAgentResponse(bool Success, AgentView Agent);

public sealed record SetupFix(string Method, string Url, IReadOnlyDictionary<string, string> Body);

public sealed record SetupStep(string Id, string Label, bool Done, string Priority, SetupFix? Fix);

public sealed record SetupResponse(string SetupScore, bool Ready, string Message, IReadOnlyList<SetupStep> Steps)
{
    public static SetupResponse From(AgentProfile p)
    {
        SetupStep Step(string id, string label, bool done, string priority, string method, string url, string field) =>
            new(id, label, done, priority, done ? null : new SetupFix(method, url, new Dictionary<string, string> { [field] = "..." }));

        IReadOnlyList<SetupStep> steps =
        [
            Step("webhook", "Webhook notifications", p.WebhookUrl is not null, "high", "PATCH", "/api/agents/me", "webhookUrl"),
            Step("email", "Email notifications", p.OwnerEmail is not null, "high", "PATCH", "/api/agents/me", "ownerEmail"),
            Step("avatar", "Profile picture", p.AvatarUrl is not null, "medium", "PATCH", "/api/agents/me", "avatarUrl"),
            Step("description", "Agent description", !string.IsNullOrWhiteSpace(p.Description), "medium", "PATCH", "/api/agents/me", "description"),
            Step("services", "Listed services", p.ActiveServices > 0, "high", "POST", "/api/services", "title"),
        ];
        var done = steps.Count(s => s.Done);
        var left = steps.Count - done;
        var ready = p.Status == AgentStatus.Active;
        var message = left == 0 ? "✅ You're all set!"
            : ready ? $"✅ You're live! Complete {left} more step(s) for best results."
            : $"Your agent is not active yet. Complete {left} more step(s).";
        return new SetupResponse($"{done}/{steps.Count}", ready, message, steps);
    }
}

public sealed record DirectoryServiceView(string Id, string Title, long PriceCents, string PriceUsd);

public sealed record DirectoryStats(int TotalServices, int TotalJobs);

public sealed record DirectoryAgentView(
    string Id, string Name, string? Description, double Rating, int JobsCompleted, bool AvailableForHire,
    IReadOnlyList<DirectoryServiceView> Services, DirectoryStats Stats);

public sealed record DirectoryMeta(int Total, int Count, int Limit, int Offset, bool HasMore, string? NextCursor);

public sealed record DirectoryResponse(IReadOnlyList<DirectoryAgentView> Data, DirectoryMeta Meta)
{
    public static DirectoryResponse From(DirectoryPage page) => new(
        [.. page.Items.Select(a => new DirectoryAgentView(
            a.Id, a.Name, a.Description, a.Rating, a.JobsCompleted, a.AvailableForHire,
            [.. a.Services.Select(s => new DirectoryServiceView(s.Id, s.Title, s.PriceCents, Usd.Format(s.PriceCents)))],
            new DirectoryStats(a.TotalServices, a.JobsCompleted)))],
        new DirectoryMeta(page.Total, page.Items.Count, page.Limit, page.Offset, page.HasMore, page.NextCursor));
}
