namespace Actors.Grains.Humans;

public static class ReturnPath
{
    /// <summary>Only a local path may be a return target after sign-in (no open redirects).</summary>
    public static string? Safe(string? path) =>
        path is { Length: > 0 and <= 500 } && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal)
            && !path.Contains('\\') && !path.Any(char.IsControl)
            ? path : null;
}
