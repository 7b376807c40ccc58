using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Grains.Memory;

namespace Actors.Api.Surfaces.Memory;

// Request and response shapes exactly as the memory seed document shows them (snake_case,
// wrapped in {"success": true, "data": ...}). Times are UTC with a Z suffix, as in the seed.

public sealed record MemoryOk<T>(bool Success, T Data);

public sealed record MemoryError(
    bool Success,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

public sealed record AutoRegisterRequest(
    [property: JsonPropertyName("machine_fingerprint")] string? MachineFingerprint,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("hostname")] string? Hostname);

public sealed record AutoRegisterData(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("api_key")] string? ApiKey,
    [property: JsonPropertyName("project_id")] string ProjectId,
    [property: JsonPropertyName("is_machine_account")] bool IsMachineAccount,
    [property: JsonPropertyName("machine_fingerprint")] string MachineFingerprint,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("agent_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

public sealed record ClaimInitRequest(
    [property: JsonPropertyName("machine_fingerprint")] string? MachineFingerprint,
    [property: JsonPropertyName("email")] string? Email);

public sealed record ClaimInitData(
    [property: JsonPropertyName("verification_code")] string VerificationCode,
    [property: JsonPropertyName("expires_at")] DateTime ExpiresAt);

public sealed record ClaimVerifyRequest(
    [property: JsonPropertyName("machine_fingerprint")] string? MachineFingerprint,
    [property: JsonPropertyName("verification_code")] string? VerificationCode);

public sealed record ClaimVerifyData(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("merged_to_user_id")] string MergedToUserId);

public sealed record ClaimConfirmRequest(
    [property: JsonPropertyName("machine_id")] string? MachineId,
    [property: JsonPropertyName("token")] string? Token);

public sealed record ClaimConfirmData(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("email")] string Email);

public sealed record MachineStatsData(
    [property: JsonPropertyName("total_memories")] long TotalMemories,
    [property: JsonPropertyName("total_projects")] long TotalProjects,
    [property: JsonPropertyName("api_calls_24h")] long ApiCalls24h,
    [property: JsonPropertyName("storage_used")] string StorageUsed,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt)
{
    public static MachineStatsData From(MachineStats s) => new(
        s.TotalMemories, s.TotalProjects, s.ApiCalls24h, HumanSize(s.StorageBytes), s.CreatedAt.UtcDateTime);

    /// <summary>1536 → "1.5KB": the seed's <c>storage_used</c> format.</summary>
    public static string HumanSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes}B" : $"{value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}{units[unit]}";
    }
}

public sealed record CreateMemoryRequest(
    [property: JsonPropertyName("content")] string? Content,
    [property: JsonPropertyName("project_id")] string? ProjectId,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata);

public sealed record MemoryView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("project_id")] string ProjectId,
    [property: JsonPropertyName("metadata")] JsonElement Metadata,
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt)
{
    public static MemoryView From(MemoryItem m)
    {
        using var metadata = JsonDocument.Parse(m.MetadataJson);
        return new(m.Id, m.Content, m.ProjectId, metadata.RootElement.Clone(), m.AgentId, m.CreatedAt.UtcDateTime);
    }
}

public sealed record MemoryListData(
    [property: JsonPropertyName("memories")] IReadOnlyList<MemoryView> Memories,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("has_more")] bool HasMore)
{
    public static MemoryListData From(MemoryPage page) => new(
        [.. page.Items.Select(MemoryView.From)], page.Total, page.Limit, page.Offset, page.Offset + page.Items.Count < page.Total);
}

public sealed record DeletedMemoryData(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("deleted")] bool Deleted);

public sealed record ProjectView(
    [property: JsonPropertyName("project_id")] string ProjectId,
    [property: JsonPropertyName("memory_count")] long MemoryCount,
    [property: JsonPropertyName("last_memory_at")] DateTime? LastMemoryAt);

public sealed record ProjectsData(
    [property: JsonPropertyName("projects")] IReadOnlyList<ProjectView> Projects,
    [property: JsonPropertyName("total")] int Total)
{
    public static ProjectsData From(IReadOnlyList<ProjectSummary> projects) => new(
        [.. projects.Select(p => new ProjectView(p.ProjectId, p.MemoryCount, p.LastMemoryAt?.UtcDateTime))], projects.Count);
}
