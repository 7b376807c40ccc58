using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Actors.Grains.Market;

/// <summary>An opaque keyset cursor: the position of the last row a page returned.</summary>
public sealed record DirectoryCursor(DateTimeOffset CreatedAt, string AgentId)
{
    public string Format() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + AgentId));

    public static DirectoryCursor? Parse(string cursor)
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
            return agentId.StartsWith("agt_", StringComparison.Ordinal)
                ? new DirectoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), agentId)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
