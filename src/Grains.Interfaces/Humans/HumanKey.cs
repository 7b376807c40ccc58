namespace Actors.Grains.Humans;

public static class HumanKey
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string For(string email) => "hum_" + Normalize(email);
}
