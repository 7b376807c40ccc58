using System.Security.Cryptography;
using System.Text;

namespace Actors.Grains.Identity;

/// <summary>
/// The one place that turns a presented secret (API key, claim token) into the id of the grain
/// that knows it. Only this hash is ever stored; the API uses it to look a bearer up.
/// </summary>
public static class SecretHash
{
    public static string Of(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string ApiKeyGrainId(string apiKey) => "key_" + Of(apiKey);
}
