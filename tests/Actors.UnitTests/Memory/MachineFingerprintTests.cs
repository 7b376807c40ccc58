using Actors.Grains.Memory;
using Microsoft.Extensions.Options;

namespace Actors.UnitTests.Memory;

/// <summary>The keyed hashes that stand for a machine's fingerprint and its claim codes.</summary>
public sealed class MachineFingerprintTests
{
    static MachineFingerprint With(string? key) => new(Options.Create(new MemoryOptions { FingerprintKey = key }));

    static readonly MachineFingerprint Hasher = With(new string('k', 32));

    [Fact]
    public void A_machine_id_is_mch_and_32_hex_digits_the_same_for_the_same_fingerprint()
    {
        var id = Hasher.MachineId("fingerprint-0001");

        Assert.Matches("^mch_[0-9a-f]{32}$", id);
        Assert.Equal(id, With(new string('k', 32)).MachineId("fingerprint-0001"));
        Assert.NotEqual(id, Hasher.MachineId("fingerprint-0002"));
    }

    [Fact]
    public void Another_server_key_gives_another_id()
    {
        Assert.NotEqual(Hasher.MachineId("fingerprint-0001"), With(new string('j', 32)).MachineId("fingerprint-0001"));
    }

    [Fact]
    public void Equal_codes_of_different_machines_or_claims_never_share_a_hash()
    {
        var hash = Hasher.ClaimCode("mch_1", "clm_1", "123456");

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, Hasher.ClaimCode("mch_1", "clm_1", "123456"));
        Assert.NotEqual(hash, Hasher.ClaimCode("mch_2", "clm_1", "123456"));
        Assert.NotEqual(hash, Hasher.ClaimCode("mch_1", "clm_2", "123456"));
        Assert.NotEqual(hash, Hasher.ClaimCode("mch_1", "clm_1", "123457"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890")]
    public void A_key_shorter_than_32_characters_is_a_configuration_error(string? key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With(key));

        Assert.Contains("Memory:FingerprintKey", error.Message);
    }
}
