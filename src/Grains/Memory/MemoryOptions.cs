namespace Actors.Grains.Memory;

/// <summary>Settings of the memory surface (section <c>Memory</c>).</summary>
public sealed class MemoryOptions
{
    /// <summary>
    /// Server secret for the keyed hashes (HMAC-SHA256) of machine fingerprints and claim codes.
    /// Changing it orphans every machine account: keep it with the database's secrets.
    /// </summary>
    public string? FingerprintKey { get; set; }
}
