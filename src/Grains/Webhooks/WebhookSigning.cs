using System.Security.Cryptography;
using System.Text;

namespace Actors.Grains.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>webhook-signature</c> is <c>v1,</c> + base64 of the HMAC-SHA256 of
/// <c>"{webhook-id}.{webhook-timestamp}.{body}"</c>, keyed with the base64 part of the
/// <c>whsec_</c> secret decoded; several signatures (one per live secret) are space-separated.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new signing secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Signature(string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The header value: one signature per secret, newest first.</summary>
    public static string Header(IEnumerable<string> secrets, string webhookId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Signature(s, webhookId, timestamp, body)));
}
