using System.Text;
using System.Text.Json;
using Actors.Grains.Platform;

namespace Actors.Grains.Taskboard;

/// <summary>
/// The checks of what an owner mints and an agent connects with (seed 004): the agent's name, its
/// capabilities (the eight), its endpoint's shape and its metadata. Pure: the endpoint's address is
/// judged by the webhooks' <see cref="SsrfGuard"/> after these.
/// </summary>
public static class TaskboardAgentRules
{
    /// <summary>The name an agent connects with: blank means its agentId; trimmed; Invalid (field <c>agentName</c>) when too long or with control characters.</summary>
    public static Result<string> Name(string? agentName, string agentId)
    {
        if (string.IsNullOrWhiteSpace(agentName)) return Result<string>.Ok(agentId.Trim());
        var name = agentName.Trim();
        if (name.Length > TaskboardLimits.MaxAgentName)
            return Problem.Invalid("agentName", $"agentName must be at most {TaskboardLimits.MaxAgentName} characters");
        if (name.Any(char.IsControl)) return Problem.Invalid("agentName", "agentName must not contain control characters");
        return Result<string>.Ok(name);
    }

    /// <summary>
    /// One or more of <see cref="TaskboardCapabilities.All"/>, compared without case: upper case,
    /// repeats dropped, in the order given. Invalid (field <c>capabilities</c>) naming the first one not among them.
    /// </summary>
    public static Result<IReadOnlyList<string>> Capabilities(IReadOnlyList<string>? capabilities)
    {
        var known = string.Join(", ", TaskboardCapabilities.All);
        if (capabilities is null || capabilities.Count == 0)
            return Problem.Invalid("capabilities", $"capabilities is required: one or more of {known}");
        var normalized = new List<string>(TaskboardCapabilities.Max);
        foreach (var capability in capabilities)
        {
            var upper = capability?.Trim().ToUpperInvariant();
            if (upper is null || !TaskboardCapabilities.All.Contains(upper))
            {
                var shown = capability is null ? "null" : $"'{Shorten(capability)}'";
                return Problem.Invalid("capabilities", $"Unknown capability {shown}: capabilities must be among {known}");
            }
            if (!normalized.Contains(upper)) normalized.Add(upper);
        }
        return Result<IReadOnlyList<string>>.Ok(normalized);
    }

    /// <summary>The endpoint's shape: absolute http(s), at most <see cref="TaskboardLimits.MaxUrl"/> characters (null: not given).</summary>
    public static Problem? CheckEndpoint(string? endpoint)
    {
        if (endpoint is null) return null;
        if (endpoint.Length > TaskboardLimits.MaxUrl)
            return Problem.Invalid("endpoint", $"endpoint must be at most {TaskboardLimits.MaxUrl} characters");
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? null
            : Problem.Invalid("endpoint", "endpoint must be an absolute http(s) URL");
    }

    /// <summary>The endpoint's shape, then its address as every webhook URL's (<paramref name="guard"/>: loopback, private, link-local, metadata refused).</summary>
    public static Problem? CheckEndpoint(string? endpoint, SsrfGuard guard) =>
        endpoint is null ? null : CheckEndpoint(endpoint) ?? guard.CheckUrl("endpoint", endpoint);

    /// <summary>An object as JSON text of at most <see cref="TaskboardLimits.MaxMetadataBytes"/> UTF-8 bytes (null: not given).</summary>
    public static Problem? CheckMetadata(string? metadataJson)
    {
        if (metadataJson is null) return null;
        if (Encoding.UTF8.GetByteCount(metadataJson) > TaskboardLimits.MaxMetadataBytes)
            return Problem.Invalid("metadata", $"metadata must be at most {TaskboardLimits.MaxMetadataBytes} bytes of JSON");
        try
        {
            using var document = JsonDocument.Parse(metadataJson);
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : Problem.Invalid("metadata", "metadata must be a JSON object");
        }
        catch (JsonException)
        {
            return Problem.Invalid("metadata", "metadata must be a JSON object");
        }
    }

    // An unknown capability is echoed in the error: a long one is cut so the answer stays small.
    static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
