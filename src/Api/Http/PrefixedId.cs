using System.Buffers;

namespace Actors.Api.Http;

/// <summary>
/// Ids we issue: a prefix (<c>job_</c>, <c>jp_</c>…) then base62 or hex, at most 64 characters.
/// Anything else names nothing, so a route refuses it with a 404 before a grain is activated for it.
/// </summary>
public static class PrefixedId
{
    static readonly SearchValues<char> Base62 = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool Is(string? id, string prefix) =>
        id is not null && id.Length > prefix.Length && id.Length <= 64 && id.StartsWith(prefix, StringComparison.Ordinal)
        && !id.AsSpan(prefix.Length).ContainsAnyExcept(Base62);
}
