using System.Text;
using System.Text.Json;
using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>A new task once checked: trimmed title, skills normalised, the reward in cents.</summary>
public sealed record TaskDraft(string Title, string Description, IReadOnlyList<string> Skills, long RewardCents, int DeadlineHours);

/// <summary>
/// A poll once checked. <see cref="Skills"/>: the skills asked for (null: none given); the
/// rewards in cents, both bounds inclusive.
/// </summary>
public sealed record TaskPollFilter(string? AgentHandle, IReadOnlyList<string>? Skills, string Status, long MinRewardCents, long MaxRewardCents, int Limit, int Offset)
{
    /// <summary>What the poll cache is keyed by: the normalised filter.</summary>
    public string Key => string.Join("|", AgentHandle ?? "", Skills is null ? "*" : string.Join(",", Skills), Status, MinRewardCents, MaxRewardCents, Limit, Offset);
}

/// <summary>The tasks' pure rules: what a post, a poll, a delivery and a review may say, and what a reader sees.</summary>
public static class TaskRules
{
    public const int MaxClientListLimit = 100;
    public const int DefaultClientListLimit = 10;

    static readonly string[] Listable = [TaskStatuses.Open, TaskStatuses.InProgress, TaskStatuses.Submitted, TaskStatuses.Completed, TaskStatuses.Rejected, TaskStatuses.Cancelled];

    public static Result<TaskDraft> CheckNew(NewTask task)
    {
        var title = task.Title?.Trim();
        if (string.IsNullOrEmpty(title)) return Problem.Invalid("title", "title is required");
        if (title.Length > TaskboardLimits.MaxTitle) return Problem.Invalid("title", $"title must be at most {TaskboardLimits.MaxTitle} characters");
        var description = task.Description?.Trim();
        if (string.IsNullOrEmpty(description)) return Problem.Invalid("description", "description is required");
        if (description.Length > TaskboardLimits.MaxDescription)
            return Problem.Invalid("description", $"description must be at most {TaskboardLimits.MaxDescription} characters");
        var skills = Skills(task.Skills, "skills");
        if (skills.Problem is { } badSkills) return badSkills;
        if (task.RewardAmount is null) return Problem.Invalid("reward.amount", "reward is required: {\"amount\": 100, \"token\": \"USDC\"}");
        if (Usdc.ToCents(task.RewardAmount) is not { } cents)
            return Problem.Invalid("reward.amount", Usdc.Refusal("reward.amount"));
        if (task.RewardToken is { } token && !string.Equals(token.Trim(), Usdc.Token, StringComparison.OrdinalIgnoreCase))
            return Problem.Invalid("reward.token", "reward.token must be USDC");
        var deadline = task.DeadlineHours ?? TaskboardLimits.DefaultDeadlineHours;
        if (deadline < 1 || deadline > TaskboardLimits.MaxDeadlineHours)
            return Problem.Invalid("deadline", $"deadline is the hours an agent has to deliver once it claims: 1 to {TaskboardLimits.MaxDeadlineHours}");
        return Result<TaskDraft>.Ok(new TaskDraft(title, description, skills.Value!, cents, deadline));
    }

    /// <summary>1–8 of the eight capabilities, upper case, repeats dropped; Invalid naming <paramref name="field"/> otherwise.</summary>
    public static Result<IReadOnlyList<string>> Skills(IEnumerable<string?>? given, string field)
    {
        if (given is null) return Problem.Invalid(field, $"{field} is required: one or more of {string.Join(", ", TaskboardCapabilities.All)}");
        var skills = new List<string>();
        foreach (var raw in given)
        {
            var skill = raw?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(skill) || !TaskboardCapabilities.All.Contains(skill))
                return Problem.Invalid(field, $"Unknown skill '{Shorten(raw)}': {field} must be among {string.Join(", ", TaskboardCapabilities.All)}");
            if (!skills.Contains(skill)) skills.Add(skill);
        }
        if (skills.Count == 0) return Problem.Invalid(field, $"{field} must name at least one of {string.Join(", ", TaskboardCapabilities.All)}");
        return Result<IReadOnlyList<string>>.Ok(skills);
    }

    public static Result<TaskPollFilter> CheckPoll(TaskPoll poll)
    {
        string? handle = null;
        if (poll.AgentId is not null)
        {
            handle = TaskboardHandle.Normalize(poll.AgentId);
            if (handle is null) return Problem.Invalid("agentId", "agentId must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
        IReadOnlyList<string>? skills = null;
        if (!string.IsNullOrWhiteSpace(poll.Skills))
        {
            var parts = poll.Skills.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0)
            {
                var checkedSkills = Skills(parts, "skills");
                if (checkedSkills.Problem is { } bad) return bad;
                skills = checkedSkills.Value;
            }
        }
        var status = string.IsNullOrWhiteSpace(poll.Status) ? TaskStatuses.Open : poll.Status.Trim().ToUpperInvariant();
        if (!TaskStatuses.Pollable.Contains(status)) return Problem.Invalid("status", "status must be OPEN or IN_PROGRESS");
        if (poll.MinReward < 0) return Problem.Invalid("minReward", "minReward must not be negative");
        if (poll.MaxReward < 0) return Problem.Invalid("maxReward", "maxReward must not be negative");
        if (poll.MinReward > poll.MaxReward) return Problem.Invalid("minReward", "minReward must not exceed maxReward");
        if (Paging.Check(poll.Limit, poll.Offset, TaskboardLimits.MaxPollLimit) is { } paging) return paging;
        return Result<TaskPollFilter>.Ok(new TaskPollFilter(handle, skills, status, MinCents(poll.MinReward), MaxCents(poll.MaxReward),
            poll.Limit ?? TaskboardLimits.DefaultPollLimit, poll.Offset ?? 0));
    }

    /// <summary>The least reward in cents a bound of USDC admits (rounded up; above the largest reward: none).</summary>
    static long MinCents(decimal? usdc) =>
        usdc is not { } u ? 0 : u > Usdc.MaxAmount ? (long)(Usdc.MaxAmount * 100) + 1 : (long)decimal.Ceiling(u * 100);

    static long MaxCents(decimal? usdc) =>
        usdc is not { } u || u > Usdc.MaxAmount ? (long)(Usdc.MaxAmount * 100) : (long)decimal.Floor(u * 100);

    /// <summary>The client's list: status any of the six (or none), limit 1–100 (10), offset ≤ 100,000.</summary>
    public static Problem? CheckClientList(string? status, int? limit, int? offset) =>
        status is not null && !Listable.Contains(status.Trim().ToUpperInvariant())
            ? Problem.Invalid("status", $"status must be one of {string.Join(", ", Listable)}")
            : Paging.Check(limit, offset, MaxClientListLimit);

    public static string? ListStatus(string? status) => string.IsNullOrWhiteSpace(status) ? null : status.Trim().ToUpperInvariant();

    public static Problem? CheckDelivery(TaskDelivery delivery)
    {
        if (delivery.Summary is null && delivery.Code is null && delivery.Url is null)
            return Problem.Invalid("result.summary", "result is required: {\"summary\": \"...\", \"code\"?: \"...\", \"url\"?: \"https://...\"}");
        if (string.IsNullOrWhiteSpace(delivery.Summary)) return Problem.Invalid("result.summary", "result.summary is required");
        if (delivery.Summary.Length > TaskboardLimits.MaxSummary)
            return Problem.Invalid("result.summary", $"result.summary must be at most {TaskboardLimits.MaxSummary} characters");
        if (delivery.Code is { Length: > TaskboardLimits.MaxCode })
            return Problem.Invalid("result.code", $"result.code must be at most {TaskboardLimits.MaxCode} characters");
        if (delivery.Url is { } url && (url.Length > TaskboardLimits.MaxUrl || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            return Problem.Invalid("result.url", $"result.url must be an absolute http(s) URL of at most {TaskboardLimits.MaxUrl} characters");
        return CheckMetadata(delivery.MetadataJson);
    }

    /// <summary>A JSON object of at most <see cref="TaskboardLimits.MaxMetadataBytes"/> bytes, or nothing.</summary>
    public static Problem? CheckMetadata(string? json)
    {
        if (json is null) return null;
        if (Encoding.UTF8.GetByteCount(json) > TaskboardLimits.MaxMetadataBytes)
            return Problem.Invalid("metadata", $"metadata must be at most {TaskboardLimits.MaxMetadataBytes} bytes of JSON");
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Null) return null;
        }
        catch (JsonException) { }
        return Problem.Invalid("metadata", "metadata must be a JSON object");
    }

    /// <summary>A null metadata (<c>"metadata": null</c>) is none.</summary>
    public static string? Metadata(string? json) => json is null || json.Trim() == "null" ? null : json;

    public static Result<string> CheckFeedback(string? feedback)
    {
        var text = feedback?.Trim();
        if (string.IsNullOrEmpty(text)) return Problem.Invalid("feedback", "feedback is required: what should the agent change?");
        if (text.Length > TaskboardLimits.MaxFeedback) return Problem.Invalid("feedback", $"feedback must be at most {TaskboardLimits.MaxFeedback} characters");
        return Result<string>.Ok(text);
    }

    public static Result<string?> CheckReason(string? reason)
    {
        var text = reason?.Trim();
        if (text is { Length: > TaskboardLimits.MaxFeedback }) return Problem.Invalid("reason", $"reason must be at most {TaskboardLimits.MaxFeedback} characters");
        return Result<string?>.Ok(string.IsNullOrEmpty(text) ? null : text);
    }

    /// <summary>The status a reader sees: an IN_PROGRESS claim whose lease passed is OPEN at once.</summary>
    public static string Shown(string status, DateTimeOffset? leaseExpiresAt, DateTimeOffset now) =>
        status == TaskStatuses.InProgress && leaseExpiresAt <= now ? TaskStatuses.Open : status;

    /// <summary>Why a step is refused in <paramref name="status"/> (409).</summary>
    public static Problem NotClaimable(string status) =>
        Problem.Conflict(status is TaskStatuses.InProgress or TaskStatuses.Submitted ? $"Task is {status}: already claimed" : $"Task is {status}");

    public static Problem NotDeliverable(string status) => Problem.Conflict($"Task is {status}: only an IN_PROGRESS task can be delivered");

    public static Problem NotReviewable(string status, string action) => Problem.Conflict($"Task is {status}: only a SUBMITTED task can be {action}");

    public static Problem NotCancellable(string status) => Problem.Conflict($"Task is {status}: only an OPEN task can be cancelled");

    static string Shorten(string? text) => text is null ? "null" : text.Length > 40 ? text[..40] + "…" : text;
}
