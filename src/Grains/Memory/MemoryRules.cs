using System.Text;
using System.Text.Json;
using Actors.Grains.Platform;

namespace Actors.Grains.Memory;

/// <summary>Validation rules of the memory surface, in one place.</summary>
public static class MemoryRules
{
    public const int MinFingerprint = 8;
    public const int MaxFingerprint = 256;
    public const int MaxHostname = 253;
    public const int MaxContentBytes = 64 * 1024;
    public const int MaxMetadataBytes = 16 * 1024;
    public const int MaxMetadataDepth = 16;
    public const int MaxProjectId = 64;
    public const int MaxQuery = 500;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxOffset = 100_000;
    public const string DefaultProject = MemoryProjects.Default;
    public static readonly string[] Platforms = ["macos", "linux", "windows"];

    public static Problem? CheckFingerprint(string? fingerprint) =>
        string.IsNullOrWhiteSpace(fingerprint) ? Problem.Invalid("machine_fingerprint", "machine_fingerprint is required")
        : fingerprint.Trim().Length is < MinFingerprint or > MaxFingerprint
            ? Problem.Invalid("machine_fingerprint", $"machine_fingerprint must be {MinFingerprint} to {MaxFingerprint} characters")
        : !IsCleanText(fingerprint, allowNewlines: false) ? Problem.Invalid("machine_fingerprint", "machine_fingerprint must not contain control characters")
        : null;

    public static Problem? CheckPlatform(string? platform) =>
        platform is null || Platforms.Contains(platform.Trim().ToLowerInvariant())
            ? null
            : Problem.Invalid("platform", "platform must be one of macos, linux, windows");

    public static Problem? CheckHostname(string? hostname) =>
        hostname is null ? null
        : hostname.Trim().Length > MaxHostname ? Problem.Invalid("hostname", $"hostname must be at most {MaxHostname} characters")
        : !IsCleanText(hostname, allowNewlines: false) ? Problem.Invalid("hostname", "hostname must not contain control characters")
        : null;

    public static Problem? CheckCode(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit)
            ? null
            : Problem.Invalid("verification_code", "verification_code must be the 6-digit code from claim/init");

    public static Problem? CheckContent(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return Problem.Invalid("content", "content is required");
        if (!IsCleanText(content, allowNewlines: true)) return Problem.Invalid("content", "content must be valid text without NUL characters");
        var bytes = Encoding.UTF8.GetByteCount(content);
        return bytes > MaxContentBytes
            ? new Problem(ProblemKind.Invalid, $"content is {bytes} bytes; at most {MaxContentBytes} bytes (64 KiB, UTF-8) are allowed", "content")
            : null;
    }

    public static Problem? CheckProjectId(string? projectId) =>
        projectId is null ? null
        : projectId.Length is 0 or > MaxProjectId || !projectId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? Problem.Invalid("project_id", $"project_id must be 1 to {MaxProjectId} characters of letters, digits, '-', '_' or '.'")
            : null;

    public static string ProjectOrDefault(string? projectId) => projectId ?? DefaultProject;

    /// <summary>Metadata is a JSON object; PostgreSQL's jsonb refuses NUL and lone surrogates, so they are refused here first.</summary>
    public static Problem? CheckMetadata(string? json)
    {
        if (json is null) return null;
        if (Encoding.UTF8.GetByteCount(json) > MaxMetadataBytes)
            return Problem.Invalid("metadata", $"metadata must be at most {MaxMetadataBytes} bytes of JSON");
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxMetadataDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Problem.Invalid("metadata", "metadata must be a JSON object");
            return AllStringsClean(doc.RootElement) ? null : Problem.Invalid("metadata", "metadata must not contain NUL characters or invalid Unicode");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return Problem.Invalid("metadata", $"metadata must be a JSON object of depth at most {MaxMetadataDepth}");
        }
    }

    public static Problem? CheckQuery(MemoryQuery query) =>
        CheckProjectId(query.ProjectId)
        ?? (query.Query is { Length: > MaxQuery } ? Problem.Invalid("q", $"q must be at most {MaxQuery} characters") : null)
        ?? (query.Query is { } q && !IsCleanText(q, allowNewlines: true) ? Problem.Invalid("q", "q must be valid text") : null)
        ?? Paging.Check(query.Limit, query.Offset, MaxLimit, MaxOffset);

    static bool AllStringsClean(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(p => IsCleanText(p.Name, allowNewlines: true) && AllStringsClean(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(AllStringsClean),
        JsonValueKind.String => IsCleanText(element.GetString()!, allowNewlines: true),
        _ => true,
    };

    /// <summary>No NUL (or other controls unless newlines/tabs are allowed) and no lone UTF-16 surrogates.</summary>
    static bool IsCleanText(string text, bool allowNewlines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsControl(c) && !(allowNewlines && c is '\n' or '\r' or '\t')) return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }
}
