using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Memory;

/// <summary>
/// Keyed hashes for the memory surface. A fingerprint is an identifier, not a secret, and may be
/// guessable from hardware: only HMAC(server key, fingerprint) is stored, so a database dump does
/// not reveal which machines are registered, nor can anyone precompute ids without the key.
/// </summary>
public sealed class MachineFingerprint
{
    public const int MinKeyLength = 32;
    readonly byte[] _key;

    public MachineFingerprint(IOptions<MemoryOptions> options)
    {
        var key = options.Value.FingerprintKey;
        if (string.IsNullOrEmpty(key) || key.Length < MinKeyLength)
            throw new InvalidOperationException(
                $"Memory:FingerprintKey must be configured with at least {MinKeyLength} characters (./run generates it in .data/secrets.env)");
        _key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>The machine account's grain id: <c>mch_</c> + 128 bits of the keyed hash, hex.</summary>
    public string MachineId(string fingerprint) => "mch_" + Mac("fingerprint", fingerprint)[..32];

    /// <summary>Hash of a claim code, bound to one machine and one claim so equal codes never share a hash.</summary>
    public string ClaimCode(string machineId, string claimId, string code) => Mac("claim-code", $"{machineId}\n{claimId}\n{code}");

    string Mac(string purpose, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + value)));
}
