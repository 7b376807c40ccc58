using System.Security.Cryptography;

namespace Actors.Grains.Identity;

/// <summary>Cryptographically random base62 strings for ids, keys and tokens.</summary>
public static class RandomToken
{
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Base62(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>A secret of the form <c>prefix_</c> + 40 base62 characters (~238 bits).</summary>
    public static string Secret(string prefix) => prefix + "_" + Base62(40);

    /// <summary>A grain id: prefix, underscore, 24 base62 characters; never a bare number.</summary>
    public static string Id(string prefix) => prefix + "_" + Base62(24);
}
