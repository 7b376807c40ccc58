using Actors.Grains.Platform;

namespace Actors.Grains.Offset;

/// <summary>What a usage report must satisfy before it is appended.</summary>
public static class UsageRules
{
    /// <summary>No single model turn comes near this; larger numbers are mistakes (or abuse).</summary>
    public const long MaxTokensPerTurn = 10_000_000;
    public const int MaxIdLength = 200;
    public const int MaxModelLength = 200;

    public static Result<UsageRow> Check(string linkId, UsageReport report, DateTimeOffset now)
    {
        var problem = Text("sessionId", report.SessionId, MaxIdLength, required: true)
            ?? Text("model", report.Model, MaxModelLength, required: true)
            ?? Tokens("inputTokens", report.InputTokens, required: true)
            ?? Tokens("outputTokens", report.OutputTokens, required: true)
            ?? Tokens("cachedInputTokens", report.CachedInputTokens, required: false)
            ?? Tokens("reasoningTokens", report.ReasoningTokens, required: false)
            ?? Text("clientEventId", report.ClientEventId, MaxIdLength, required: false);
        if (problem is not null) return problem;
        return Result<UsageRow>.Ok(new UsageRow(linkId, report.SessionId!.Trim(), report.Model!.Trim(),
            report.InputTokens!.Value, report.OutputTokens!.Value, report.CachedInputTokens ?? 0, report.ReasoningTokens ?? 0,
            string.IsNullOrWhiteSpace(report.ClientEventId) ? null : report.ClientEventId.Trim(), now));
    }

    static Problem? Text(string field, string? value, int max, bool required)
    {
        if (value is null) return required ? Problem.Invalid(field, $"{field} is required") : null;
        if (string.IsNullOrWhiteSpace(value))
            return required || value.Length > 0 ? Problem.Invalid(field, $"{field} must not be empty") : null;
        if (value.Trim().Length > max) return Problem.Invalid(field, $"{field} must be at most {max} characters");
        // char.IsControl, without a LINQ pass over the string: C0 controls, DEL and the C1 controls.
        if (value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
            return Problem.Invalid(field, $"{field} must not contain control characters");
        return null;
    }

    static Problem? Tokens(string field, long? value, bool required) => value switch
    {
        null when required => Problem.Invalid(field, $"{field} is required"),
        < 0 => Problem.Invalid(field, $"{field} must be a non-negative integer"),
        > MaxTokensPerTurn => Problem.Invalid(field, $"{field} must be at most {MaxTokensPerTurn:N0} per report"),
        _ => null,
    };
}
