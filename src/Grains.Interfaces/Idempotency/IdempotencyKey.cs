namespace Actors.Grains.Idempotency;

public static class IdempotencyKey
{
    public const int MaxLength = 255;

    public static string GrainId(string scope, string subject, string key) =>
        "idem_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(scope + "\n" + subject + "\n" + key)));
}
