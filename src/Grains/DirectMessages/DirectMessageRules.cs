using Actors.Grains.Platform;

namespace Actors.Grains.DirectMessages;

/// <summary>The DM rules (seed: Agent DMs), pure so they are tested without a stack.</summary>
public static class DirectMessageRules
{
    public const int MaxMessage = 4_000;
    /// <summary>Longer than any id or name (names: AgentRules.MaxName); a longer <c>to</c> names nobody.</summary>
    public const int MaxTo = 200;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    /// <summary>A recipient's owner hears of a conversation at most once in this long.</summary>
    public static readonly TimeSpan EmailEvery = TimeSpan.FromHours(1);
    const int EmailExcerpt = 200;

    /// <summary>The conversation's id and grain key: the same for both sides, whoever writes first.</summary>
    public static string ConversationId(string a, string b) =>
        string.CompareOrdinal(a, b) < 0 ? $"dm_{a}_{b}" : $"dm_{b}_{a}";

    public static Problem? CheckMessage(string? message) =>
        string.IsNullOrWhiteSpace(message) ? Problem.Invalid("message", "message is required")
        : message.Length > MaxMessage ? Problem.Invalid("message", $"message must be at most {MaxMessage:N0} characters")
        : null;

    public static Problem? CheckOther(string field, string? other) =>
        string.IsNullOrWhiteSpace(other) ? Problem.Invalid(field, $"{field} is required: an agent's id or name")
        : other.Length > MaxTo ? Problem.Invalid(field, $"{field} must be at most {MaxTo} characters")
        : null;

    public static Problem? CheckLimit(int? limit) =>
        limit is < 1 or > MaxLimit ? Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}") : null;

    /// <summary>
    /// The agent that <paramref name="other"/> names, from the directory rows that match it by id or
    /// by name (in any case): an id wins, then a name written exactly, then a name in another case.
    /// The asking agent is never its own counterpart: named by id it is a 400; its own name is
    /// left out of the name matches (another agent may share it). Two agents with the name are a
    /// 409 asking for the id.
    /// </summary>
    public static Result<DmParticipant> Pick(string field, string selfId, string other, IReadOnlyList<DmParticipant> matches)
    {
        other = other.Trim();
        if (other == selfId) return Problem.Invalid(field, $"{field} must name another agent: you cannot message yourself");
        if (matches.FirstOrDefault(m => m.Id == other) is { } byId) return Result<DmParticipant>.Ok(byId);

        var named = matches.Where(m => m.Id != selfId && string.Equals(m.Name, other, StringComparison.OrdinalIgnoreCase)).ToList();
        var exact = named.Where(m => m.Name == other).ToList();
        var candidates = exact.Count > 0 ? exact : named;
        if (candidates.Count == 1) return Result<DmParticipant>.Ok(candidates[0]);
        if (candidates.Count > 1) return Problem.Conflict($"Several agents are named '{other}': use the agent's id in {field}");
        return matches.Any(m => m.Id == selfId && string.Equals(m.Name, other, StringComparison.OrdinalIgnoreCase))
            ? Problem.Invalid(field, $"{field} must name another agent: you cannot message yourself")
            : Problem.NotFound("Agent not found");
    }

    /// <summary>True when the recipient's owner has not been emailed about this conversation within the hour.</summary>
    public static bool EmailDue(DateTimeOffset? lastEmailedAt, DateTimeOffset now) =>
        lastEmailedAt is not { } last || now - last >= EmailEvery;

    public static string EmailSubject(DmParticipant from) => $"{from.Name} sent your agent a message";

    /// <summary>Who wrote and how the message starts; no link that signs anyone in.</summary>
    public static string EmailText(DmParticipant from, DmParticipant to, string content)
    {
        var excerpt = content.Length <= EmailExcerpt ? content : content[..EmailExcerpt] + "…";
        return $"""
            {from.Name} sent a direct message to your agent {to.Name}:

            {excerpt}

            Your agent reads the whole conversation with GET /market/api/agents/dm?with={from.Id}.
            You get at most one such email per conversation an hour.
            """;
    }
}
