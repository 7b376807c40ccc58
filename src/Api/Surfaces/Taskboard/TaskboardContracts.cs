using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Grains.Taskboard;
using Actors.Api.Surfaces.Market;
using Actors.Grains.Wallets;

namespace Actors.Api.Surfaces.Taskboard;

// The taskboard seed's shapes (004): every answer is {"success": true, ...}; every error
// {"success": false, "error": "...", "field"?}. Members the seed does not show are additions.

public sealed record TaskboardError(
    bool Success,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

public sealed record RegisterTokenRequest(string? OwnerId, string? AgentId, string? AgentName, IReadOnlyList<string>? Capabilities);

public sealed record TokenSecurity(string Warning, bool SingleUse);

public sealed record RegisterTokenResponse(bool Success, string RegistrationToken, DateTimeOffset ExpiresAt, string AgentId, TokenSecurity Security)
{
    public static RegisterTokenResponse From(RegistrationTokenIssued t) =>
        new(true, t.RegistrationToken, t.ExpiresAt, t.AgentHandle, new TokenSecurity("Token is shown only once! Store it securely.", true));
}

public sealed record AgentConnectRequest(
    string? RegistrationToken, string? AuthType, string? ApiKey, string? AgentId, string? AgentName,
    IReadOnlyList<string>? Capabilities, string? Endpoint, JsonElement? Metadata);

public sealed record KeySecurity(string Message, string Warning);

/// <summary>The endpoint's signing secret (Standard Webhooks, <c>whsec_…</c>), when this connect issued it: shown once.</summary>
public sealed record ConnectionWebhook(string Url, string Secret);

public sealed record ConnectionBody(
    string Status,
    string AgentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] KeySecurity? Security,
    string AgentName,
    IReadOnlyList<string> Capabilities,
    string? Endpoint,
    string OwnerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConnectionWebhook? Webhook);

public sealed record ConnectResponse(bool Success, ConnectionBody Connection)
{
    public static ConnectResponse From(TaskboardConnection c) => new(true, new ConnectionBody(
        "CONNECTED", c.AgentHandle, c.ApiKey,
        c.ApiKey is null ? null : new KeySecurity("Store this API key securely - it is your only authentication method",
            "API key is shown only once and cannot be recovered"),
        c.Agent.Name, c.Agent.Capabilities, c.Agent.Endpoint, c.Agent.OwnerId,
        c.WebhookSecret is null || c.Agent.Endpoint is null ? null : new ConnectionWebhook(c.Agent.Endpoint, c.WebhookSecret)));
}

public sealed record Reward(decimal Amount, string Token)
{
    public static Reward Of(long cents) => new(Usdc.FromCents(cents), Usdc.Token);
}

public sealed record RewardRequest(decimal? Amount, string? Token);

public sealed record PostTaskRequest(string? Title, string? Description, IReadOnlyList<string>? Skills, RewardRequest? Reward, int? Deadline);

public sealed record TaskLinks(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Self,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Claim,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Deliver);

public sealed record PolledTask(string Id, string Title, Reward Reward, IReadOnlyList<string> Skills, string Status, DateTimeOffset CreatedAt, TaskLinks Links)
{
    public static PolledTask From(TaskSummary t) => new(t.Id, t.Title, Reward.Of(t.RewardCents), t.Skills, t.Status, t.CreatedAt,
        new TaskLinks(TaskboardPaths.Task(t.Id), t.Status == TaskStatuses.Open ? TaskboardPaths.Claim(t.Id) : null, null));
}

public sealed record PollFilters(IReadOnlyList<string> Skills, string Status);

public sealed record PollingBody(string? AgentId, PollFilters Filters);

public sealed record Pagination(int Total, bool HasMore);

public sealed record PollResponse(bool Success, PollingBody Polling, IReadOnlyList<PolledTask> Tasks, Pagination Pagination)
{
    public static PollResponse From(TaskPollPage p) => new(true, new PollingBody(p.AgentHandle, new PollFilters(p.Skills, p.Status)),
        [.. p.Tasks.Select(PolledTask.From)], new Pagination(p.Total, p.HasMore));
}

public sealed record ClientTaskListResponse(bool Success, IReadOnlyList<PolledTask> Tasks, Pagination Pagination)
{
    public static ClientTaskListResponse From(TaskPage p) => new(true, [.. p.Tasks.Select(PolledTask.From)], new Pagination(p.Total, p.HasMore));
}

public sealed record ClaimRequest(string? AgentId);

public sealed record ClaimedTask(string Title, Reward Reward);

public sealed record ClaimBody(string TaskId, string AgentId, string Status, ClaimedTask Task, DateTimeOffset? ExpiresAt, TaskLinks Links);

public sealed record ClaimResponse(bool Success, ClaimBody Claim)
{
    public static ClaimResponse From(TaskView t) => new(true, new ClaimBody(t.Id, t.ClaimedBy!, TaskStatuses.ClaimAccepted,
        new ClaimedTask(t.Title, Reward.Of(t.RewardCents)), t.LeaseExpiresAt, new TaskLinks(null, null, TaskboardPaths.Deliver(t.Id))));
}

public sealed record DeliveryResult(string? Code, string? Url, string? Summary);

public sealed record DeliverRequest(string? AgentId, DeliveryResult? Result, JsonElement? Metadata);

public sealed record DeliveryBody(string TaskId, string Status, IReadOnlyList<string> NextSteps, DateTimeOffset? AutoApproveAt);

public sealed record DeliverResponse(bool Success, DeliveryBody Delivery)
{
    static readonly IReadOnlyList<string> NextSteps =
        ["Client reviews submitted work", "Client approves or requests revisions", "Upon approval, payment is released"];

    public static DeliverResponse From(TaskView t) => new(true, new DeliveryBody(t.Id, TaskStatuses.Submitted, NextSteps, t.ReviewDueAt));
}

public sealed record RevisionRequest(string? Feedback);

public sealed record RejectRequest(string? Reason);

public sealed record TaskClaimBody(string AgentId, DateTimeOffset? ClaimedAt, DateTimeOffset? ExpiresAt);

public sealed record TaskDeliveryBody(
    int Number, string AgentId, DateTimeOffset SubmittedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeliveryResult? Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata);

public sealed record TaskBody(
    string Id, string Title, string Description, IReadOnlyList<string> Skills, Reward Reward, string Status, int Deadline,
    string ClientId, TaskClaimBody? Claim, TaskDeliveryBody? Delivery, DateTimeOffset? AutoApproveAt,
    string? Feedback, string? RejectionReason, int Revisions, string? ResolvedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Reward? AgentEarned,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, TaskLinks Links)
{
    public static TaskBody From(TaskView t) => new(
        t.Id, t.Title, t.Description, t.Skills, Reward.Of(t.RewardCents), t.Status, t.DeadlineHours, t.ClientId,
        t.ClaimedBy is null ? null : new TaskClaimBody(t.ClaimedBy, t.ClaimedAt, t.LeaseExpiresAt),
        t.Delivery is not { } d ? null : new TaskDeliveryBody(d.Number, d.AgentHandle, d.SubmittedAt,
            d.Visible ? new DeliveryResult(d.Code, d.Url, d.Summary) : null,
            d.Visible && d.MetadataJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null),
        t.ReviewDueAt, t.Feedback, t.RejectionReason, t.Revisions, t.ResolvedBy,
        t.AgentEarnedCents is { } earned ? Reward.Of(earned) : null, t.CreatedAt, t.UpdatedAt,
        new TaskLinks(TaskboardPaths.Task(t.Id), t.Status == TaskStatuses.Open ? TaskboardPaths.Claim(t.Id) : null,
            t.Status == TaskStatuses.InProgress ? TaskboardPaths.Deliver(t.Id) : null));
}

public sealed record TaskResponse(bool Success, TaskBody Task)
{
    public static TaskResponse From(TaskView t) => new(true, TaskBody.From(t));
}

public sealed record AgentMeBody(
    string AgentId, string Name, IReadOnlyList<string> Capabilities, string? Endpoint, string OwnerId, int Karma,
    int TasksCompleted, int TasksRejected, int TasksInProgress, Reward Earnings, DateTimeOffset ConnectedAt);

public sealed record AgentMeResponse(bool Success, AgentMeBody Agent)
{
    public static AgentMeResponse From(TaskboardAgentProfile p) => new(true, new AgentMeBody(
        p.Agent.AgentHandle, p.Agent.Name, p.Agent.Capabilities, p.Agent.Endpoint, p.Agent.OwnerId, p.Karma,
        p.TasksCompleted, p.TasksRejected, p.TasksInProgress, Reward.Of(p.EarningsCents), p.Agent.ConnectedAt));
}

public sealed record OwnedAgent(string AgentId, string Name, IReadOnlyList<string> Capabilities, string? Endpoint, DateTimeOffset ConnectedAt)
{
    public static OwnedAgent From(TaskboardAgentView a) => new(a.AgentHandle, a.Name, a.Capabilities, a.Endpoint, a.ConnectedAt);
}

public sealed record OwnedAgentsResponse(bool Success, IReadOnlyList<OwnedAgent> Agents);

public sealed record DepositCheckoutRequestBody(decimal? Amount);

public sealed record CheckoutBody(string Id, string Url, Reward Amount, string Status);

public sealed record DepositCheckoutResponse(bool Success, CheckoutBody Checkout);

/// <summary>The client's wallet: the balance in USDC and in cents, and the latest entries as the market's wallet shows them (<c>jobId</c>: the task).</summary>
public sealed record ClientWalletBody(string UserId, Reward Balance, long BalanceCents, IReadOnlyList<WalletTransactionView> Transactions);

public sealed record ClientWalletResponse(bool Success, ClientWalletBody Wallet)
{
    public static ClientWalletResponse From(WalletView w) => new(true, new ClientWalletBody(
        w.AgentId, Reward.Of(w.BalanceCents), w.BalanceCents, [.. w.Transactions.Select(WalletTransactionView.From)]));
}

/// <summary>Where the seed's links point, under this surface's base path.</summary>
public static class TaskboardPaths
{
    public const string Base = "/taskboard";
    public static string Task(string id) => $"{Base}/api/tasks/{id}";
    public static string Claim(string id) => $"{Base}/api/tasks/{id}/claim";
    public static string Deliver(string id) => $"{Base}/api/tasks/{id}/deliver";
}
