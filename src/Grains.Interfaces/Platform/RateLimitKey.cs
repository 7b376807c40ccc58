namespace Actors.Grains.Platform;

public static class RateLimitKey
{
    public static string For(string scope, string subject) => $"rl_{scope}:{subject}";
}
