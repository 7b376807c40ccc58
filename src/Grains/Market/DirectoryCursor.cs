using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Actors.Grains.Market;

/// <summary>
/// An opaque keyset cursor: the position of the last row a page returned. Used by the agent
/// directory (<see cref="AgentId"/> an <c>agt_</c> id) and by the service search (an <c>svc_</c> id there).
/// </summary>
public sealed record DirectoryCursor(DateTimeOffset CreatedAt, string AgentId)
{
    public string Format() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + AgentId));

    public static DirectoryCursor? Parse(string cursor) => Parse(cursor, "agt_");

    /// <summary>A cursor whose row id starts with <paramref name="idPrefix"/>; null for anything else.</summary>
    public static DirectoryCursor? Parse(string cursor, string idPrefix)
    {
        if (cursor.Length > 200) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var colon = text.IndexOf(':');
            if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks)
                return null;
            var agentId = text[(colon + 1)..];
            return agentId.StartsWith(idPrefix, StringComparison.Ordinal)
                ? new DirectoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), agentId)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
