namespace Actors.Grains.Taskboard;

/// <summary>
/// The seed's <c>agentId</c> ("openclaw", "my-agent"): 1–64 of letters, digits, <c>-</c>, <c>_</c>
/// and <c>.</c>, compared without case (kept lower-case). It names an agent on this board; the
/// identity behind it is an <c>agt_…</c>.
/// </summary>
public static class TaskboardHandle
{
    public const int MaxLength = 64;

    /// <summary>The normalised handle, or null when <paramref name="agentId"/> is not one.</summary>
    public static string? Normalize(string? agentId)
    {
        var text = agentId?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return null;
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return null;
        return text.ToLowerInvariant();
    }

    public static string GrainId(string handle) => "tba_" + handle;
}
